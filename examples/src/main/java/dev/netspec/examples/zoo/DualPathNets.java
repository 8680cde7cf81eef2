package dev.netspec.examples.zoo;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.DualPath;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.SqueezeExcite;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Dual Path Networks (Chen et al. 2017) as timm builds them: a 7×7 stride-2 conv-BN-ReLU stem
 * ({@code conv1_1}) and a 3×3 stride-2 max pool ({@code conv1_pool}), four {@code @DualPath}
 * stages ({@code conv2} 'proj', {@code conv3} to {@code conv5} 'down'), a final BN-ELU over the
 * concatenated paths ({@code conv5_bn_ac}: timm's {@code fc_act_layer}, ELU where every other
 * activation is ReLU) and a classifier; BatchNorm epsilon 1e-3 throughout.
 *
 * <p>timm's state dict maps onto the variables by these renaming rules:
 *
 * <ul>
 *   <li>{@code features.conv1_1.*} → {@code conv1_1.*};
 *   <li>{@code features.conv<s>_<b>.*} → {@code conv<s>.<b>.*} (a block's {@code c1x1_w_s1},
 *       {@code c1x1_w_s2}, {@code c1x1_a}, {@code c3x3_b}, {@code c1x1_c} keep their names, each
 *       with {@code bn.*} and {@code conv.weight});
 *   <li>{@code features.conv5_bn_ac.bn.*} → {@code conv5_bn_ac.*};
 *   <li>{@code classifier.weight} {@code [1000, C, 1, 1]} (a 1×1 conv) → {@code
 *       classifier.weight} {@code [C, 1000]}; {@code classifier.bias} as is.
 * </ul>
 */
public final class DualPathNets {
  private DualPathNets() {}

  /**
   * DPN-68, timm's {@code dpn68}: a small DPN, with a 10-channel 3×3 stem and residual widths
   * 64-128-256-512 (a quarter of the large DPNs'); k_R 128 is the grouped 3×3's width in the
   * first stage, doubling with the width as in every DPN.
   */
  @Network(name = "DPN68", epsilon = 1e-3, input = @Input(height = 224, width = 224))
  @Expect(parameters = 12_611_602, macs = 2_326_163_456L)
  public interface DPN68Spec {
    @Conv(channels = 10, kernel = 3, stride = 2) Operand<TFloat32> conv1_1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
    @DualPath(blocks = 3, width = 64, inc = 16, kR = 128, G = 32) Operand<TFloat32> conv2();
    @DualPath(blocks = 4, width = 128, inc = 32, kR = 128, G = 32, stride = 2) Operand<TFloat32> conv3();
    @DualPath(blocks = 12, width = 256, inc = 32, kR = 128, G = 32, stride = 2) Operand<TFloat32> conv4();
    @DualPath(blocks = 3, width = 512, inc = 64, kR = 128, G = 32, stride = 2) Operand<TFloat32> conv5();
    @BatchNorm(act = Act.ELU) Operand<TFloat32> conv5_bn_ac();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /** DPN-92: 64-channel stem, k_R 96, G 32, blocks 3-4-20-3, increments 16-32-24-128. */
  @Network(name = "DPN92", epsilon = 1e-3, input = @Input(height = 224, width = 224))
  @Expect(parameters = 37_668_392, macs = 6_501_684_224L)
  public interface DPN92Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1_1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
    @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32) Operand<TFloat32> conv2();
    @DualPath(blocks = 4, width = 512, inc = 32, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv3();
    @DualPath(blocks = 20, width = 1024, inc = 24, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv4();
    @DualPath(blocks = 3, width = 2048, inc = 128, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv5();
    @BatchNorm(act = Act.ELU) Operand<TFloat32> conv5_bn_ac();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /** DPN-98: 96-channel stem, k_R 160, G 40, blocks 3-6-20-3, increments 16-32-32-128. */
  @Network(name = "DPN98", epsilon = 1e-3, input = @Input(height = 224, width = 224))
  @Expect(parameters = 61_570_728, macs = 11_671_217_152L)
  public interface DPN98Spec {
    @Conv(channels = 96, kernel = 7, stride = 2) Operand<TFloat32> conv1_1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
    @DualPath(blocks = 3, width = 256, inc = 16, kR = 160, G = 40) Operand<TFloat32> conv2();
    @DualPath(blocks = 6, width = 512, inc = 32, kR = 160, G = 40, stride = 2) Operand<TFloat32> conv3();
    @DualPath(blocks = 20, width = 1024, inc = 32, kR = 160, G = 40, stride = 2) Operand<TFloat32> conv4();
    @DualPath(blocks = 3, width = 2048, inc = 128, kR = 160, G = 40, stride = 2) Operand<TFloat32> conv5();
    @BatchNorm(act = Act.ELU) Operand<TFloat32> conv5_bn_ac();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /** DPN-107: 128-channel stem, k_R 200, G 50, blocks 4-8-20-3, increments 20-64-64-128. */
  @Network(name = "DPN107", epsilon = 1e-3, input = @Input(height = 224, width = 224))
  @Expect(parameters = 86_917_800, macs = 18_298_764_288L)
  public interface DPN107Spec {
    @Conv(channels = 128, kernel = 7, stride = 2) Operand<TFloat32> conv1_1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
    @DualPath(blocks = 4, width = 256, inc = 20, kR = 200, G = 50) Operand<TFloat32> conv2();
    @DualPath(blocks = 8, width = 512, inc = 64, kR = 200, G = 50, stride = 2) Operand<TFloat32> conv3();
    @DualPath(blocks = 20, width = 1024, inc = 64, kR = 200, G = 50, stride = 2) Operand<TFloat32> conv4();
    @DualPath(blocks = 3, width = 2048, inc = 128, kR = 200, G = 50, stride = 2) Operand<TFloat32> conv5();
    @BatchNorm(act = Act.ELU) Operand<TFloat32> conv5_bn_ac();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /** DPN-131: 128-channel stem, k_R 160, G 40, blocks 4-8-28-3, increments 16-32-32-128. */
  @Network(name = "DPN131", epsilon = 1e-3, input = @Input(height = 224, width = 224))
  @Expect(parameters = 79_254_504, macs = 16_013_648_896L)
  public interface DPN131Spec {
    @Conv(channels = 128, kernel = 7, stride = 2) Operand<TFloat32> conv1_1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
    @DualPath(blocks = 4, width = 256, inc = 16, kR = 160, G = 40) Operand<TFloat32> conv2();
    @DualPath(blocks = 8, width = 512, inc = 32, kR = 160, G = 40, stride = 2) Operand<TFloat32> conv3();
    @DualPath(blocks = 28, width = 1024, inc = 32, kR = 160, G = 40, stride = 2) Operand<TFloat32> conv4();
    @DualPath(blocks = 3, width = 2048, inc = 128, kR = 160, G = 40, stride = 2) Operand<TFloat32> conv5();
    @BatchNorm(act = Act.ELU) Operand<TFloat32> conv5_bn_ac();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }

  /**
   * SE-DPN-92: DPN-92 with a squeeze-excite gate (reduction 16) on every block's residual part
   * before the add, variables {@code conv<s>.<b>.se.fc1.*} and {@code se.fc2.*}. Each block adds
   * {@code 2·w·w/16 + w/16 + w} parameters for residual width w: 4,381,232 in all.
   */
  @Network(name = "SEDPN92", epsilon = 1e-3, input = @Input(height = 224, width = 224))
  @Expect(parameters = 42_049_624, macs = 6_506_034_176L)
  public interface SEDPN92Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1_1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
    @SqueezeExcite
    @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32) Operand<TFloat32> conv2();
    @SqueezeExcite
    @DualPath(blocks = 4, width = 512, inc = 32, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv3();
    @SqueezeExcite
    @DualPath(blocks = 20, width = 1024, inc = 24, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv4();
    @SqueezeExcite
    @DualPath(blocks = 3, width = 2048, inc = 128, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv5();
    @BatchNorm(act = Act.ELU) Operand<TFloat32> conv5_bn_ac();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }
}
