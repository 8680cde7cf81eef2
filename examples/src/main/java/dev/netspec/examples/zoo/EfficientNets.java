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
import dev.netspec.annotations.StochasticDepth;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * EfficientNet (Tan and Le 2019) as torchvision 0.14 builds it: SiLU throughout, MBConv blocks
 * whose squeeze-excite is sized from the block's input ({@code in / 4}) while it gates the
 * expanded channels, and stochastic depth rising over the network's 16 blocks to 0.2 × 15 / 16.
 * torchvision's stages are {@code features.1} … {@code features.7}, netspec's {@code stage1} …
 * {@code stage7}, each with the same repetitions: {@link PyTorchNames#TORCHVISION_EFFICIENTNET}.
 */
public final class EfficientNets {
  private EfficientNets() {}

  /** The expansion-1 MBConv of the first stage: no expanding convolution. */
  @BlockSpec(parameters = "out", shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface MBConv1 {
    @Conv(channels = Let.BOUND, depthwise = true) @Let(channels = "in")
    Operand<TFloat32> depthwise();

    @SqueezeExcite(channels = Let.BOUND, act = Act.SILU) @Let(channels = "in / 4")
    Operand<TFloat32> se();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();

    @StochasticDepth(rate = 0.1875) Operand<TFloat32> drop();
  }

  /** torchvision's {@code MBConv} with expansion 6. */
  @BlockSpec(parameters = {"out", "kernel = 3", "stride = 1", "expand = 6"},
      shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface MBConv {
    @Conv(channels = Let.BOUND, kernel = 1) @Let(channels = "in * expand")
    Operand<TFloat32> expand();

    @Conv(channels = Let.BOUND, depthwise = true)
    @Let(channels = "in * expand", kernel = "kernel", stride = "stride")
    Operand<TFloat32> depthwise();

    @SqueezeExcite(channels = Let.BOUND, act = Act.SILU) @Let(channels = "in / 4")
    Operand<TFloat32> se();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();

    @StochasticDepth(rate = 0.1875) Operand<TFloat32> drop();
  }

  /** torchvision's {@code efficientnet_b0}: 5,288,548 parameters, BatchNorm epsilon 1e-5. */
  @Network(name = "EfficientNetB0", input = @Input(height = 224, width = 224),
      activation = Act.SILU)
  @Expect(parameters = 5_288_548, macs = 385_814_752)
  public interface EfficientNetB0Spec {
    @Conv(channels = 32, stride = 2) Operand<TFloat32> stem();

    @Stack(block = MBConv1.class, with = "out = 16") Operand<TFloat32> stage1();

    @Stack(block = MBConv.class, repeat = 2, with = "out = 24", first = "stride = 2")
    Operand<TFloat32> stage2();

    @Stack(block = MBConv.class, repeat = 2, with = {"out = 40", "kernel = 5"},
        first = "stride = 2")
    Operand<TFloat32> stage3();

    @Stack(block = MBConv.class, repeat = 3, with = "out = 80", first = "stride = 2")
    Operand<TFloat32> stage4();

    @Stack(block = MBConv.class, repeat = 3, with = {"out = 112", "kernel = 5"})
    Operand<TFloat32> stage5();

    @Stack(block = MBConv.class, repeat = 4, with = {"out = 192", "kernel = 5"},
        first = "stride = 2")
    Operand<TFloat32> stage6();

    @Stack(block = MBConv.class, with = "out = 320") Operand<TFloat32> stage7();

    @Conv(channels = 1280, kernel = 1) Operand<TFloat32> head();

    @Classifier(classes = 1000, dropout = 0.2) Operand<TFloat32> classifier();
  }
}
