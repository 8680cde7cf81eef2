package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@code @SqueezeExcite} on basic and bottleneck blocks: identity shortcuts, a projection for the
 * stride, a projection for the channels alone; groups, base width and dropout; a max-pooling
 * classifier with dropout.
 */
@Network(name = "SEResNetMini", input = @Input(height = 32, width = 32))
public interface SEResNetMiniSpec {
  @Conv(channels = 16) Operand<TFloat32> stem();
  @SqueezeExcite(reduction = 4, minChannels = 8)
  @Residual(block = Block.BASIC, blocks = 2, planes = 16) Operand<TFloat32> layer1();
  @SqueezeExcite
  @Residual(block = Block.BASIC, blocks = 1, planes = 32, stride = 2, dropout = 0.1) Operand<TFloat32> layer2();
  @SqueezeExcite @Residual(blocks = 2, planes = 16, groups = 4, baseWidth = 8) Operand<TFloat32> layer3();
  @Classifier(classes = 10, pool = PoolKind.MAX, dropout = 0.2) Operand<TFloat32> head();
}
