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
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * torchvision's ResNets (He et al. 2015): a 7×7 stride-2 stem, a 3×3 max pool, four residual
 * stages and a linear classifier. Stage names are torchvision's module names. Also a compact
 * ResNet for 32×32 images, the network {@code netspec train} trains by default.
 */
public final class ResNets {
  private ResNets() {}

  /**
   * ResNet-8 for 32×32 images and 10 classes (CIFAR-10, the synthetic shapes): a 3×3 stride-2
   * stem and three stages of one basic block (32, 64, 128 channels at strides 2, 4, 8). Eight
   * weight layers; it trains on two CPU cores in about a minute.
   */
  @Network(name = "ResNet8", input = @Input(height = 32, width = 32))
  @Expect(parameters = 306_946, macs = 11_832_576)
  public interface ResNet8Spec {
    @Conv(channels = 24, stride = 2) Operand<TFloat32> conv1();
    @Residual(block = Block.BASIC, blocks = 1, planes = 32) Operand<TFloat32> layer1();
    @Residual(block = Block.BASIC, blocks = 1, planes = 64, stride = 2) Operand<TFloat32> layer2();
    @Residual(block = Block.BASIC, blocks = 1, planes = 128, stride = 2) Operand<TFloat32> layer3();
    @Classifier(classes = 10) Operand<TFloat32> fc();
  }

  /** ResNet-18: basic blocks 2-2-2-2. */
  @Network(name = "ResNet18", input = @Input(height = 224, width = 224))
  @Expect(parameters = 11_689_512, macs = 1_814_073_344L)
  public interface ResNet18Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @Residual(block = Block.BASIC, blocks = 2, planes = 64) Operand<TFloat32> layer1();
    @Residual(block = Block.BASIC, blocks = 2, planes = 128, stride = 2) Operand<TFloat32> layer2();
    @Residual(block = Block.BASIC, blocks = 2, planes = 256, stride = 2) Operand<TFloat32> layer3();
    @Residual(block = Block.BASIC, blocks = 2, planes = 512, stride = 2) Operand<TFloat32> layer4();
    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }

  /** ResNet-34: basic blocks 3-4-6-3. */
  @Network(name = "ResNet34", input = @Input(height = 224, width = 224))
  @Expect(parameters = 21_797_672, macs = 3_663_761_408L)
  public interface ResNet34Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @Residual(block = Block.BASIC, blocks = 3, planes = 64) Operand<TFloat32> layer1();
    @Residual(block = Block.BASIC, blocks = 4, planes = 128, stride = 2) Operand<TFloat32> layer2();
    @Residual(block = Block.BASIC, blocks = 6, planes = 256, stride = 2) Operand<TFloat32> layer3();
    @Residual(block = Block.BASIC, blocks = 3, planes = 512, stride = 2) Operand<TFloat32> layer4();
    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }

  /** ResNet-50: bottleneck blocks 3-4-6-3. */
  @Network(name = "ResNet50", input = @Input(height = 224, width = 224))
  @Expect(parameters = 25_557_032, macs = 4_089_184_256L)
  public interface ResNet50Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @Residual(blocks = 3, planes = 64) Operand<TFloat32> layer1();
    @Residual(blocks = 4, planes = 128, stride = 2) Operand<TFloat32> layer2();
    @Residual(blocks = 6, planes = 256, stride = 2) Operand<TFloat32> layer3();
    @Residual(blocks = 3, planes = 512, stride = 2) Operand<TFloat32> layer4();
    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }

  /** ResNet-101: bottleneck blocks 3-4-23-3. */
  @Network(name = "ResNet101", input = @Input(height = 224, width = 224))
  @Expect(parameters = 44_549_160, macs = 7_801_405_440L)
  public interface ResNet101Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @Residual(blocks = 3, planes = 64) Operand<TFloat32> layer1();
    @Residual(blocks = 4, planes = 128, stride = 2) Operand<TFloat32> layer2();
    @Residual(blocks = 23, planes = 256, stride = 2) Operand<TFloat32> layer3();
    @Residual(blocks = 3, planes = 512, stride = 2) Operand<TFloat32> layer4();
    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }

  /** ResNet-152: bottleneck blocks 3-8-36-3. */
  @Network(name = "ResNet152", input = @Input(height = 224, width = 224))
  @Expect(parameters = 60_192_808, macs = 11_513_626_624L)
  public interface ResNet152Spec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @Residual(blocks = 3, planes = 64) Operand<TFloat32> layer1();
    @Residual(blocks = 8, planes = 128, stride = 2) Operand<TFloat32> layer2();
    @Residual(blocks = 36, planes = 256, stride = 2) Operand<TFloat32> layer3();
    @Residual(blocks = 3, planes = 512, stride = 2) Operand<TFloat32> layer4();
    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }
}
