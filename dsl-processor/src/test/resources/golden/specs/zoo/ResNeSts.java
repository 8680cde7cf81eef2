package dev.netspec.examples.zoo;

import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Downsample;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Residual;
import dev.netspec.annotations.SplitAttention;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** ResNeSt-50, as {@code examples/.../zoo/ResNeSts.java} declares it. */
public final class ResNeSts {
  private ResNeSts() {}

  /**
   * ResNeSt-50, timm's {@code resnest50d}: a deep stem (3×3 convolutions of 32, 32 and 64 channels,
   * the first at stride 2, each conv-BN-ReLU, then a 3×3 max pool), four stages of split-attention
   * bottlenecks (radix 2, cardinality 1; a 3×3 average pool after the split attention of strided
   * blocks) with average-pool projections (ResNet-D). timm's stem is one module {@code conv1}
   * ({@code conv1.0}, {@code conv1.1}, {@code conv1.3}, {@code conv1.4}, {@code conv1.6}, {@code
   * bn1}); the blocks' variables are timm's ({@code layer1.0.conv2.fc1.weight}).
   */
  @Network(name = "ResNeSt50", input = @Input(height = 224, width = 224))
  @Expect(parameters = 27_483_240, macs = 5_371_160_576L)
  public interface ResNeSt50Spec {
    @Conv(channels = 32, stride = 2) Operand<TFloat32> conv1_0();
    @Conv(channels = 32) Operand<TFloat32> conv1_1();
    @Conv(channels = 64) Operand<TFloat32> conv1_2();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @SplitAttention @Residual(blocks = 3, planes = 64, downsample = Downsample.AVG_CONV)
    Operand<TFloat32> layer1();
    @SplitAttention @Residual(blocks = 4, planes = 128, stride = 2, downsample = Downsample.AVG_CONV)
    Operand<TFloat32> layer2();
    @SplitAttention @Residual(blocks = 6, planes = 256, stride = 2, downsample = Downsample.AVG_CONV)
    Operand<TFloat32> layer3();
    @SplitAttention @Residual(blocks = 3, planes = 512, stride = 2, downsample = Downsample.AVG_CONV)
    Operand<TFloat32> layer4();
    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }
}
