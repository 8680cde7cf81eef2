package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Pre-activation blocks (He et al. 2016), basic and bottleneck, with and without {@code
 * @SqueezeExcite}, and an average-pool projection (ResNet-D) on a post-activation stage.
 */
@Network(name = "PreActResNetMini", input = @Input(height = 32, width = 32))
public interface PreActResNetMiniSpec {
  @Conv(channels = 16) Operand<TFloat32> stem();
  @Residual(block = Block.BASIC, preact = true, blocks = 2, planes = 16) Operand<TFloat32> layer1();
  @SqueezeExcite
  @Residual(block = Block.BASIC, preact = true, blocks = 1, planes = 32, stride = 2) Operand<TFloat32> layer2();
  @Residual(preact = true, blocks = 1, planes = 16, stride = 2) Operand<TFloat32> layer3();
  @Residual(blocks = 1, planes = 32, stride = 2, downsample = Downsample.AVG_CONV) Operand<TFloat32> layer4();
  @BatchNorm(act = Act.RELU) Operand<TFloat32> norm();
  @Classifier(classes = 10) Operand<TFloat32> fc();
}
