package dev.netspec.examples.zoo;

import dev.netspec.annotations.Block;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Residual;
import dev.netspec.annotations.SqueezeExcite;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Squeeze-and-excitation networks (Hu et al. 2018): residual networks whose blocks gate their
 * residual branch, channel by channel, before the add.
 */
public final class SENets {
  private SENets() {}

  /**
   * timm's {@code seresnet50}: ResNet-50 with an SE gate (reduction 16) in every bottleneck.
   * Variables as timm names them ({@code layer1.0.se.fc1.weight}), the stem as torchvision's
   * ResNet-50 ({@code conv1.conv}, {@code conv1.bn} for timm's {@code conv1}, {@code bn1}).
   */
  @Network(name = "SEResNet50", input = @Input(height = 224, width = 224))
  @Expect(parameters = 28_088_024, macs = 4_091_699_200L)
  public interface SEResNet50Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @SqueezeExcite @Residual(blocks = 3, planes = 64) Operand<TFloat32> layer1();
    @SqueezeExcite @Residual(blocks = 4, planes = 128, stride = 2) Operand<TFloat32> layer2();
    @SqueezeExcite @Residual(blocks = 6, planes = 256, stride = 2) Operand<TFloat32> layer3();
    @SqueezeExcite @Residual(blocks = 3, planes = 512, stride = 2) Operand<TFloat32> layer4();
    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }

  /**
   * SENet-18 for CIFAR, as the widely used kuangliu/pytorch-cifar builds it: a 3×3 conv-BN-ReLU
   * stem, four stages of two pre-activation basic blocks with an SE gate (channels / 16, no
   * rounding) on the residual branch, no final BatchNorm, global average pool, linear to 10
   * classes. kuangliu names the gate {@code fc1}, {@code fc2} directly in the block (here {@code
   * se.fc1}, {@code se.fc2}) and the head {@code linear}.
   */
  @Network(name = "SENet18", input = @Input(height = 32, width = 32))
  @Expect(parameters = 11_260_354, macs = 555_509_760L)
  public interface SENet18Spec {
    @Conv(channels = 64) Operand<TFloat32> conv1();
    @SqueezeExcite @Residual(block = Block.BASIC, preact = true, blocks = 2, planes = 64)
    Operand<TFloat32> layer1();
    @SqueezeExcite @Residual(block = Block.BASIC, preact = true, blocks = 2, planes = 128, stride = 2)
    Operand<TFloat32> layer2();
    @SqueezeExcite @Residual(block = Block.BASIC, preact = true, blocks = 2, planes = 256, stride = 2)
    Operand<TFloat32> layer3();
    @SqueezeExcite @Residual(block = Block.BASIC, preact = true, blocks = 2, planes = 512, stride = 2)
    Operand<TFloat32> layer4();
    @Classifier(classes = 10) Operand<TFloat32> linear();
  }
}
