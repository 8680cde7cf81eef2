package dev.netspec.examples.finetune;

import dev.netspec.annotations.Block;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Residual;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Networks for the two synthetic tasks of fine-tuning: the ten shapes, and their three {@link
 * ShapeFamilies families}. Each pair differs in its classifier only. The ResNet-18s are
 * torchvision's (the zoo's {@code ResNet18Spec}) at 64×64, which keeps the transfer measurement
 * ({@code reference/finetune_transfer.sh}) to minutes on two cores; the tiny ones are for tests.
 */
public final class FineTuneSpecs {
  private FineTuneSpecs() {}

  /** ResNet-18 for the ten synthetic shapes. */
  @Network(name = "ResNet18Shapes", input = @Input(height = 64, width = 64))
  public interface ResNet18ShapesSpec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @Residual(block = Block.BASIC, blocks = 2, planes = 64) Operand<TFloat32> layer1();
    @Residual(block = Block.BASIC, blocks = 2, planes = 128, stride = 2) Operand<TFloat32> layer2();
    @Residual(block = Block.BASIC, blocks = 2, planes = 256, stride = 2) Operand<TFloat32> layer3();
    @Residual(block = Block.BASIC, blocks = 2, planes = 512, stride = 2) Operand<TFloat32> layer4();
    @Classifier(classes = 10) Operand<TFloat32> fc();
  }

  /** ResNet-18 for the three shape families. */
  @Network(name = "ResNet18Families", input = @Input(height = 64, width = 64))
  public interface ResNet18FamiliesSpec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @Residual(block = Block.BASIC, blocks = 2, planes = 64) Operand<TFloat32> layer1();
    @Residual(block = Block.BASIC, blocks = 2, planes = 128, stride = 2) Operand<TFloat32> layer2();
    @Residual(block = Block.BASIC, blocks = 2, planes = 256, stride = 2) Operand<TFloat32> layer3();
    @Residual(block = Block.BASIC, blocks = 2, planes = 512, stride = 2) Operand<TFloat32> layer4();
    @Classifier(classes = 3) Operand<TFloat32> fc();
  }

  /** A tiny network for the ten shapes. */
  @Network(name = "TinyShapes", input = @Input(height = 32, width = 32))
  public interface TinyShapesSpec {
    @Conv(channels = 8, stride = 2) Operand<TFloat32> conv1();
    @Residual(block = Block.BASIC, blocks = 1, planes = 16, stride = 2) Operand<TFloat32> layer1();
    @Classifier(classes = 10) Operand<TFloat32> fc();
  }

  /** A tiny network for the three families. */
  @Network(name = "TinyFamilies", input = @Input(height = 32, width = 32))
  public interface TinyFamiliesSpec {
    @Conv(channels = 8, stride = 2) Operand<TFloat32> conv1();
    @Residual(block = Block.BASIC, blocks = 1, planes = 16, stride = 2) Operand<TFloat32> layer1();
    @Classifier(classes = 3) Operand<TFloat32> fc();
  }
}
