package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@code @DenseBlock} and {@code @Transition} with their defaults and with every setting, {@code
 * @SqueezeExcite} beside {@code @DenseBlock}, and PReLU as the network's activation (as the face
 * DenseNets).
 */
@Network(name = "DenseNetMini", input = @Input(height = 32, width = 32), activation = Act.PRELU)
public interface DenseNetMiniSpec {
  @Conv(channels = 16) Operand<TFloat32> conv0();
  @SqueezeExcite @DenseBlock(growth = 8, layers = 2) Operand<TFloat32> denseblock1();
  @Transition Operand<TFloat32> transition1();
  @SqueezeExcite(reduction = 4, minChannels = 4)
  @DenseBlock(growth = 8, layers = 2, bottleneck = 0, dropout = 0.2, order = Order.CONV_NORM_ACT)
  Operand<TFloat32> denseblock2();
  @Transition(channels = 24, pool = PoolKind.MAX, ceil = true, dropout = 0.1, order = Order.CONV_NORM_ACT)
  Operand<TFloat32> transition2();
  @DenseBlock(growth = 4, layers = 1, bottleneck = 2) Operand<TFloat32> denseblock3();
  @Transition(compression = 0.75) Operand<TFloat32> transition3();
  @BatchNorm(act = Act.DEFAULT) Operand<TFloat32> norm5();
  @Classifier(classes = 10) Operand<TFloat32> classifier();
}
