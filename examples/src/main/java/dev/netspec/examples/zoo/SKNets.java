package dev.netspec.examples.zoo;

import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Residual;
import dev.netspec.annotations.SelectiveKernel;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Selective kernel networks (Li et al. 2019): the 3×3 convolution of each block becomes branches
 * of growing dilation, mixed by a softmax attention across the branches.
 */
public final class SKNets {
  private SKNets() {}

  /**
   * SKNet-50, timm's {@code skresnext50_32x4d}: ResNeXt-50 32×4d whose grouped 3×3 is a selective
   * kernel unit of two branches (dilation 1 and 2, 32 groups), attention width C / 16 rounded to
   * a multiple of 32, at least 32. The unit's variables are timm's ({@code
   * layer1.0.conv2.paths.0.conv.weight}, {@code layer1.0.conv2.attn.fc_reduce.weight}); timm names
   * the other convolutions {@code conv1.conv}, {@code conv1.bn} where these are {@code conv1},
   * {@code bn1}.
   */
  @Network(name = "SKNet50", input = @Input(height = 224, width = 224))
  @Expect(parameters = 27_479_784, macs = 4_462_710_784L)
  public interface SKNet50Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @SelectiveKernel @Residual(blocks = 3, planes = 64, groups = 32, baseWidth = 4)
    Operand<TFloat32> layer1();
    @SelectiveKernel @Residual(blocks = 4, planes = 128, stride = 2, groups = 32, baseWidth = 4)
    Operand<TFloat32> layer2();
    @SelectiveKernel @Residual(blocks = 6, planes = 256, stride = 2, groups = 32, baseWidth = 4)
    Operand<TFloat32> layer3();
    @SelectiveKernel @Residual(blocks = 3, planes = 512, stride = 2, groups = 32, baseWidth = 4)
    Operand<TFloat32> layer4();
    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }
}
