package dev.netspec.examples.zoo;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BlockSpec;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Let;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Shortcut;
import dev.netspec.annotations.SqueezeExcite;
import dev.netspec.annotations.Stack;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * RegNet (Radosavovic et al. 2020) as torchvision 0.14 builds it: a 3×3 stride-2 stem, four
 * stages of Y blocks whose widths and depths come from the design space's quantized linear rule,
 * and a linear classifier. torchvision's {@code trunk_output.block<s>.block<s>-<i>.f.a} is
 * netspec's {@code block<s>.<i>.a}, its projection {@code proj} netspec's {@code downsample}:
 * {@link PyTorchNames#TORCHVISION_REGNET}.
 */
public final class RegNets {
  private RegNets() {}

  /**
   * torchvision's {@code ResBottleneckBlock} with bottleneck multiplier 1 and squeeze-excite: 1×1,
   * grouped 3×3 ({@code out / groupWidth} groups) carrying the stride, a ReLU-sigmoid gate
   * squeezing to a quarter of the block's input, 1×1 without activation; the input added, through
   * a 1×1 projection with BatchNorm where the shape changes, and ReLU after the add.
   */
  @BlockSpec(parameters = {"out", "stride = 1", "groupWidth = 8"},
      shortcut = Shortcut.ADD_OR_PROJECT, act = Act.RELU)
  public interface YBlock {
    @Conv(channels = Let.BOUND, kernel = 1) @Let(channels = "out")
    Operand<TFloat32> a();

    @Conv(channels = Let.BOUND) @Let(channels = "out", stride = "stride", groups = "out / groupWidth")
    Operand<TFloat32> b();

    @SqueezeExcite(channels = Let.BOUND) @Let(channels = "in / 4")
    Operand<TFloat32> se();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> c();
  }

  /**
   * torchvision's {@code regnet_y_400mf}: 4,344,144 parameters; depths 1-3-6-6, widths
   * 48-104-208-440, group width 8, squeeze-excite ratio 0.25.
   */
  @Network(name = "RegNetY400MF", input = @Input(height = 224, width = 224))
  @Expect(parameters = 4_344_144, macs = 401_842_848)
  public interface RegNetY400MFSpec {
    @Conv(channels = 32, stride = 2) Operand<TFloat32> stem();

    @Stack(block = YBlock.class, with = {"out = 48", "stride = 2"}) Operand<TFloat32> block1();

    @Stack(block = YBlock.class, repeat = 3, with = "out = 104", first = "stride = 2")
    Operand<TFloat32> block2();

    @Stack(block = YBlock.class, repeat = 6, with = "out = 208", first = "stride = 2")
    Operand<TFloat32> block3();

    @Stack(block = YBlock.class, repeat = 6, with = "out = 440", first = "stride = 2")
    Operand<TFloat32> block4();

    @Classifier(classes = 1000) Operand<TFloat32> fc();
  }
}
