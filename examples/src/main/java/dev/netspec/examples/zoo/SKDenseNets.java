package dev.netspec.examples.zoo;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.BlockSpec;
import dev.netspec.annotations.Branch;
import dev.netspec.annotations.Branches;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Join;
import dev.netspec.annotations.Let;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Shortcut;
import dev.netspec.annotations.Stack;
import dev.netspec.annotations.Transition;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A DenseNet whose dense layer is a user's block with a selective-kernel 3×3: torchvision's
 * DenseNet-121 where each layer's {@code conv2} is timm's {@code SelectiveKernel} (two 3×3
 * conv-BN-ReLU paths of dilation 1 and 2 and an attention across them), written with {@code
 * @BlockSpec}, {@code @Stack} and {@code @Branches} alone. Its PyTorch twin is {@code
 * reference/sk_densenet.py}.
 */
public final class SKDenseNets {
  private SKDenseNets() {}

  /** A 3×3 conv-BN-ReLU to {@code out} channels, padded by its dilation: timm's ConvNormAct. */
  @BlockSpec(parameters = {"out", "dilation = 1"})
  public interface SKPath {
    @Conv(channels = Let.BOUND) @Let(channels = "out", dilation = "dilation")
    Operand<TFloat32> conv();
  }

  /**
   * torchvision's dense layer, its 3×3 a selective kernel: BN-ReLU, 1×1 to {@code bnSize ×
   * growth}, BN-ReLU, two paths to {@code growth} channels weighed by an attention of width
   * {@code growth / 16} rounded to a multiple of 8; the output concatenated after the input.
   */
  @BlockSpec(parameters = {"growth = 32", "bnSize = 4"}, shortcut = Shortcut.CONCAT)
  public interface SKDenseLayer {
    @BatchNorm(act = Act.RELU) Operand<TFloat32> norm1();

    @Conv(channels = Let.BOUND, kernel = 1, norm = Norm.NONE, act = Act.NONE)
    @Let(channels = "bnSize * growth")
    Operand<TFloat32> conv1();

    @BatchNorm(act = Act.RELU) Operand<TFloat32> norm2();

    @Branches(value = {
        @Branch(block = SKPath.class, with = {"out = growth", "dilation = 1"}),
        @Branch(block = SKPath.class, with = {"out = growth", "dilation = 2"})},
        join = Join.SELECT)
    Operand<TFloat32> conv2();
  }

  /**
   * DenseNet-121 with selective-kernel dense layers: growth 32, blocks 6-12-24-16. The count
   * equals that of its PyTorch twin ({@code sum(p.numel() for p in model.parameters())}).
   */
  @Network(name = "DenseNet121SK", input = @Input(height = 224, width = 224))
  @Expect(parameters = 10_169_864, macs = 4_076_965_376L)
  public interface DenseNet121SKSpec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv0();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
    @Stack(block = SKDenseLayer.class, repeat = 6) Operand<TFloat32> denseblock1();
    @Transition Operand<TFloat32> transition1();
    @Stack(block = SKDenseLayer.class, repeat = 12) Operand<TFloat32> denseblock2();
    @Transition Operand<TFloat32> transition2();
    @Stack(block = SKDenseLayer.class, repeat = 24) Operand<TFloat32> denseblock3();
    @Transition Operand<TFloat32> transition3();
    @Stack(block = SKDenseLayer.class, repeat = 16) Operand<TFloat32> denseblock4();
    @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
    @Classifier(classes = 1000) Operand<TFloat32> classifier();
  }
}
