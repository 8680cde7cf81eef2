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
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** DPN-92, as {@code examples/.../zoo/DualPathNets.java} declares it. */
public final class DualPathNets {
  private DualPathNets() {}

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
}
