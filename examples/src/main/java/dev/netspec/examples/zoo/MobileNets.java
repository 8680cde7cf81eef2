package dev.netspec.examples.zoo;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BlockSpec;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Dense;
import dev.netspec.annotations.Dropout;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.GlobalPool;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Let;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Shortcut;
import dev.netspec.annotations.SqueezeExcite;
import dev.netspec.annotations.Stack;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * MobileNetV2 (Sandler et al. 2018) and MobileNetV3-Large (Howard et al. 2019) as torchvision
 * 0.14 builds them, each inverted residual a block of one's own: an optional 1×1 expansion, a
 * depthwise convolution carrying the stride, an optional squeeze-excite, a 1×1 projection
 * without activation, and the input added where stride 1 keeps the shape.
 *
 * <p>torchvision numbers the blocks of {@code features} in one sequence ({@code features.1} …
 * {@code features.17}); netspec by stage and repetition ({@code stage2.1}): {@link
 * PyTorchNames#TORCHVISION_MOBILENET_V2} and {@link PyTorchNames#TORCHVISION_MOBILENET_V3_LARGE}
 * map one onto the other.
 */
public final class MobileNets {
  private MobileNets() {}

  /** torchvision's expansion-1 {@code InvertedResidual}: depthwise 3×3, then the projection. */
  @BlockSpec(parameters = "out", shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface DepthwiseSeparable {
    @Conv(channels = Let.BOUND, depthwise = true) @Let(channels = "in")
    Operand<TFloat32> depthwise();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();
  }

  /**
   * torchvision's {@code InvertedResidual}: 1×1 to {@code in × expand}, depthwise 3×3 with the
   * stride, 1×1 to {@code out}; BatchNorm after each, the network's ReLU6 after the first two.
   */
  @BlockSpec(parameters = {"out", "stride = 1", "expand = 6"},
      shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface InvertedResidual {
    @Conv(channels = Let.BOUND, kernel = 1) @Let(channels = "in * expand")
    Operand<TFloat32> expand();

    @Conv(channels = Let.BOUND, depthwise = true) @Let(channels = "in * expand", stride = "stride")
    Operand<TFloat32> depthwise();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();
  }

  /**
   * torchvision's {@code mobilenet_v2}: 3,504,872 parameters, ReLU6, its table of expansion t,
   * channels c, repetitions n and first stride s read row by row.
   */
  @Network(name = "MobileNetV2", input = @Input(height = 224, width = 224),
      activation = Act.RELU6)
  @Expect(parameters = 3_504_872, macs = 300_774_272)
  public interface MobileNetV2Spec {
    @Conv(channels = 32, stride = 2) Operand<TFloat32> stem();

    @Stack(block = DepthwiseSeparable.class, with = "out = 16") Operand<TFloat32> stage1();

    @Stack(block = InvertedResidual.class, repeat = 2, with = "out = 24", first = "stride = 2")
    Operand<TFloat32> stage2();

    @Stack(block = InvertedResidual.class, repeat = 3, with = "out = 32", first = "stride = 2")
    Operand<TFloat32> stage3();

    @Stack(block = InvertedResidual.class, repeat = 4, with = "out = 64", first = "stride = 2")
    Operand<TFloat32> stage4();

    @Stack(block = InvertedResidual.class, repeat = 3, with = "out = 96")
    Operand<TFloat32> stage5();

    @Stack(block = InvertedResidual.class, repeat = 3, with = "out = 160", first = "stride = 2")
    Operand<TFloat32> stage6();

    @Stack(block = InvertedResidual.class, with = "out = 320") Operand<TFloat32> stage7();

    @Conv(channels = 1280, kernel = 1) Operand<TFloat32> head();

    @Classifier(classes = 1000, dropout = 0.2) Operand<TFloat32> classifier();
  }

  /**
   * MobileNetV3's first block, where the expansion would keep the channels and torchvision leaves
   * it out: depthwise with ReLU, then the projection.
   */
  @BlockSpec(parameters = {"out", "kernel = 3", "stride = 1"},
      shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface ReluDepthwise {
    @Conv(channels = Let.BOUND, depthwise = true, act = Act.RELU)
    @Let(channels = "in", kernel = "kernel", stride = "stride")
    Operand<TFloat32> depthwise();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();
  }

  /** MobileNetV3's bottleneck with ReLU ("RE") and no squeeze-excite. */
  @BlockSpec(parameters = {"out", "expanded", "kernel = 3", "stride = 1"},
      shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface ReluBottleneck {
    @Conv(channels = Let.BOUND, kernel = 1, act = Act.RELU) @Let(channels = "expanded")
    Operand<TFloat32> expand();

    @Conv(channels = Let.BOUND, depthwise = true, act = Act.RELU)
    @Let(channels = "expanded", kernel = "kernel", stride = "stride")
    Operand<TFloat32> depthwise();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();
  }

  /**
   * MobileNetV3's bottleneck with ReLU and squeeze-excite: the gate squeezes the expanded channels
   * to {@code make_divisible(expanded / 4, 8)} with ReLU and scales them by a hard sigmoid.
   */
  @BlockSpec(parameters = {"out", "expanded", "kernel = 3", "stride = 1"},
      shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface ReluSqueezeBottleneck {
    @Conv(channels = Let.BOUND, kernel = 1, act = Act.RELU) @Let(channels = "expanded")
    Operand<TFloat32> expand();

    @Conv(channels = Let.BOUND, depthwise = true, act = Act.RELU)
    @Let(channels = "expanded", kernel = "kernel", stride = "stride")
    Operand<TFloat32> depthwise();

    @SqueezeExcite(channels = Let.BOUND, act = Act.RELU, gate = Act.HARDSIGMOID)
    @Let(channels = "divisible(expanded / 4, 8)")
    Operand<TFloat32> se();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();
  }

  /** MobileNetV3's bottleneck with the network's hard swish ("HS") and no squeeze-excite. */
  @BlockSpec(parameters = {"out", "expanded", "kernel = 3", "stride = 1"},
      shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface HardswishBottleneck {
    @Conv(channels = Let.BOUND, kernel = 1) @Let(channels = "expanded")
    Operand<TFloat32> expand();

    @Conv(channels = Let.BOUND, depthwise = true)
    @Let(channels = "expanded", kernel = "kernel", stride = "stride")
    Operand<TFloat32> depthwise();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();
  }

  /** MobileNetV3's bottleneck with hard swish and squeeze-excite (ReLU inside the gate). */
  @BlockSpec(parameters = {"out", "expanded", "kernel = 3", "stride = 1"},
      shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
  public interface HardswishSqueezeBottleneck {
    @Conv(channels = Let.BOUND, kernel = 1) @Let(channels = "expanded")
    Operand<TFloat32> expand();

    @Conv(channels = Let.BOUND, depthwise = true)
    @Let(channels = "expanded", kernel = "kernel", stride = "stride")
    Operand<TFloat32> depthwise();

    @SqueezeExcite(channels = Let.BOUND, act = Act.RELU, gate = Act.HARDSIGMOID)
    @Let(channels = "divisible(expanded / 4, 8)")
    Operand<TFloat32> se();

    @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> project();
  }

  /**
   * torchvision's {@code mobilenet_v3_large}: 5,483,032 parameters, hard swish by default,
   * BatchNorm epsilon 1e-3; its table of bottlenecks (input, kernel, expanded, out, SE,
   * activation, stride) grouped where consecutive rows share a block, and the head's two linear
   * layers with hard swish and dropout between them.
   */
  @Network(name = "MobileNetV3Large", input = @Input(height = 224, width = 224),
      activation = Act.HARDSWISH, epsilon = 1e-3)
  @Expect(parameters = 5_483_032, macs = 216_589_760)
  public interface MobileNetV3LargeSpec {
    @Conv(channels = 16, stride = 2) Operand<TFloat32> stem();

    @Stack(block = ReluDepthwise.class, with = "out = 16") Operand<TFloat32> stage1();

    @Stack(block = ReluBottleneck.class, repeat = 2, with = {"out = 24", "expanded = 72"},
        first = {"expanded = 64", "stride = 2"})
    Operand<TFloat32> stage2();

    @Stack(block = ReluSqueezeBottleneck.class, repeat = 3,
        with = {"out = 40", "expanded = 120", "kernel = 5"}, first = {"expanded = 72", "stride = 2"})
    Operand<TFloat32> stage3();

    @Stack(block = HardswishBottleneck.class, repeat = 2, with = {"out = 80", "expanded = 200"},
        first = {"expanded = 240", "stride = 2"})
    Operand<TFloat32> stage4();

    @Stack(block = HardswishBottleneck.class, repeat = 2, with = {"out = 80", "expanded = 184"})
    Operand<TFloat32> stage5();

    @Stack(block = HardswishSqueezeBottleneck.class, repeat = 2,
        with = {"out = 112", "expanded = 672"}, first = "expanded = 480")
    Operand<TFloat32> stage6();

    @Stack(block = HardswishSqueezeBottleneck.class, repeat = 3,
        with = {"out = 160", "expanded = 960", "kernel = 5"}, first = {"expanded = 672", "stride = 2"})
    Operand<TFloat32> stage7();

    @Conv(channels = 960, kernel = 1) Operand<TFloat32> head();

    @GlobalPool Operand<TFloat32> pool();

    @Dense(units = 1280, act = Act.HARDSWISH) Operand<TFloat32> pre_logits();

    @Dropout(rate = 0.2) Operand<TFloat32> dropout();

    @Dense(units = 1000) Operand<TFloat32> classifier();
  }
}
