package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * {@code @SplitAttention} after a deep stem, with average-pool projections (Downsample.AVG_CONV),
 * with its defaults and with every setting beside {@code @SqueezeExcite}.
 */
@Network(name = "ResNeStMini", input = @Input(height = 64, width = 64))
public interface ResNeStMiniSpec {
  @Conv(channels = 16, stride = 2) Operand<TFloat32> conv1_0();
  @Conv(channels = 16) Operand<TFloat32> conv1_1();
  @Conv(channels = 32) Operand<TFloat32> conv1_2();
  @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
  @SplitAttention @Residual(blocks = 1, planes = 16, downsample = Downsample.AVG_CONV)
  Operand<TFloat32> layer1();
  @SplitAttention(radix = 4, cardinality = 2, reduction = 8) @SqueezeExcite
  @Residual(blocks = 2, planes = 32, stride = 2, downsample = Downsample.AVG_CONV)
  Operand<TFloat32> layer2();
  @Classifier(classes = 10) Operand<TFloat32> fc();
}
