package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@code @SelectiveKernel} with its defaults on a ResNeXt bottleneck, with every setting on a
 * basic block, and beside {@code @SqueezeExcite}.
 */
@Network(name = "SKResNetMini", input = @Input(height = 32, width = 32))
public interface SKResNetMiniSpec {
  @Conv(channels = 32) Operand<TFloat32> stem();
  @SelectiveKernel(branches = 3, groups = 8, reduction = 8, minDim = 8)
  @Residual(block = Block.BASIC, blocks = 1, planes = 32) Operand<TFloat32> layer1();
  @SelectiveKernel @Residual(blocks = 1, planes = 32, stride = 2, groups = 32, baseWidth = 4)
  Operand<TFloat32> layer2();
  @SelectiveKernel(groups = 16, minDim = 16) @SqueezeExcite
  @Residual(blocks = 1, planes = 16, groups = 16, baseWidth = 4) Operand<TFloat32> layer3();
  @Classifier(classes = 10) Operand<TFloat32> fc();
}
