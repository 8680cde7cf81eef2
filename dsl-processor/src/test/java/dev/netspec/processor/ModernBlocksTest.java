package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.StochasticDepth;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.testing.ModelProbe;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ConvNeXt's and EfficientNet's blocks as user blocks (LayerNorm, layer scale, stochastic depth,
 * squeeze-excite sized from the block's input), counted against torchvision 0.14 under javac and
 * the Eclipse compiler.
 */
class ModernBlocksTest {
  @TempDir Path dir;

  /** torchvision's {@code CNBlock(dim, layer_scale = 1e-6, stochastic_depth_prob)}. */
  static final String CN_BLOCK = Specs.spec("""
      @BlockSpec(shortcut = Shortcut.ADD)
      public interface CNBlock {
        @Conv(channels = Let.BOUND, kernel = 7, depthwise = true, bias = true, norm = Norm.LAYER,
            act = Act.NONE)
        @Let(channels = "in")
        Operand<TFloat32> dwconv();
        @Conv(channels = Let.BOUND, kernel = 1, bias = true, norm = Norm.NONE, act = Act.GELU)
        @Let(channels = "in * 4")
        Operand<TFloat32> pwconv1();
        @Conv(channels = Let.BOUND, kernel = 1, bias = true, norm = Norm.NONE, act = Act.NONE)
        @Let(channels = "in")
        Operand<TFloat32> pwconv2();
        @LayerScale Operand<TFloat32> scale();
        @StochasticDepth(rate = 0.1) Operand<TFloat32> drop();
      }
      """);

  static final String ONE_CN_BLOCK = Specs.spec("""
      @Network(name = "OneBlock", input = @Input(channels = 96, height = 56, width = 56))
      public interface OneBlockSpec {
        @Stack(block = CNBlock.class) Operand<TFloat32> block();
      }
      """);

  /** torchvision's {@code convnext_tiny}: stem, four stages, LayerNorm and 2×2 downsampling. */
  static final String CONVNEXT_TINY = Specs.spec("""
      @Network(name = "ConvNeXtTiny", input = @Input(channels = 3, height = 224, width = 224))
      public interface ConvNeXtTinySpec {
        @Conv(channels = 96, kernel = 4, stride = 4, bias = true, norm = Norm.LAYER, act = Act.NONE)
        Operand<TFloat32> stem();
        @Stack(block = CNBlock.class, repeat = 3) Operand<TFloat32> stage1();
        @Conv(channels = 192, kernel = 2, stride = 2, bias = true, norm = Norm.LAYER,
            act = Act.NONE, order = Order.NORM_ACT_CONV)
        Operand<TFloat32> down2();
        @Stack(block = CNBlock.class, repeat = 3) Operand<TFloat32> stage2();
        @LayerNorm Operand<TFloat32> norm3();
        @Conv(channels = 384, kernel = 2, stride = 2, bias = true, norm = Norm.NONE, act = Act.NONE)
        Operand<TFloat32> down3();
        @Stack(block = CNBlock.class, repeat = 9) Operand<TFloat32> stage3();
        @Conv(channels = 768, kernel = 2, stride = 2, bias = true, norm = Norm.LAYER,
            act = Act.NONE, order = Order.NORM_ACT_CONV)
        Operand<TFloat32> down4();
        @Stack(block = CNBlock.class, repeat = 3) Operand<TFloat32> stage4();
        @GlobalPool Operand<TFloat32> pool();
        @LayerNorm Operand<TFloat32> norm();
        @Dense(units = 1000, bias = true, act = Act.NONE) Operand<TFloat32> fc();
      }
      """);

  /** torchvision's {@code MBConv} for an expansion other than 1, squeeze-excite on {@code in / 4}. */
  static final String MB_CONV = Specs.spec("""
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
        @StochasticDepth(rate = 0.2) Operand<TFloat32> drop();
      }
      """);

  /** The expansion-1 MBConv of EfficientNet's first stage: no expanding convolution. */
  static final String MB_CONV1 = Specs.spec("""
      @BlockSpec(parameters = "out", shortcut = Shortcut.ADD_WHEN_SHAPES_MATCH)
      public interface MBConv1 {
        @Conv(channels = Let.BOUND, depthwise = true) @Let(channels = "in")
        Operand<TFloat32> depthwise();
        @SqueezeExcite(channels = Let.BOUND, act = Act.SILU) @Let(channels = "in / 4")
        Operand<TFloat32> se();
        @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE) @Let(channels = "out")
        Operand<TFloat32> project();
        @StochasticDepth(rate = 0.2) Operand<TFloat32> drop();
      }
      """);

  static final String EFFICIENTNET_B0 = Specs.spec("""
      @Network(name = "EfficientNetB0", input = @Input(channels = 3, height = 224, width = 224),
          activation = Act.SILU, epsilon = 1e-3)
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
      """);

  private NetworkModel compile(Tool tool, String name, String... sources) {
    ModelProbe probe = new ModelProbe();
    SpecCompiler compiler = new SpecCompiler(tool, dir).withProcessor(probe);
    Compilation compilation = compiler.compile(
        Stream.of(sources).map(compiler::source).toArray(JavaFileObject[]::new));
    assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
        .that(compilation.errors()).isEmpty();
    return probe.model(name);
  }

  private static List<String> variables(NetworkModel model, String stage) {
    return model.stages().get(model.indexOf(stage)).graph().parameters().stream()
        .map(p -> p.name() + " " + p.describeShape()).toList();
  }

  private static List<Double> depthRates(NetworkModel model) {
    return model.stages().stream().flatMap(s -> s.graph().graph().nodes().stream())
        .map(Graph.Node::op).filter(op -> op instanceof StochasticDepth)
        .map(op -> ((StochasticDepth) op).rate()).toList();
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void convNeXtBlock_countsAsTorchvisionsCNBlock(Tool tool) {
    NetworkModel model = compile(tool, "OneBlock", CN_BLOCK, ONE_CN_BLOCK);
    // torchvision: sum(p.numel() for p in CNBlock(96, 1e-6, 0.0).parameters())
    assertThat(model.cost().parameters()).isEqualTo(79_296L);
    assertThat(variables(model, "block")).containsExactly(
        "0.dwconv.conv.weight [96, 1, 7, 7]", "0.dwconv.conv.bias [96]",
        "0.dwconv.norm.weight [96]", "0.dwconv.norm.bias [96]",
        "0.pwconv1.conv.weight [384, 96, 1, 1]", "0.pwconv1.conv.bias [384]",
        "0.pwconv2.conv.weight [96, 384, 1, 1]", "0.pwconv2.conv.bias [96]",
        "0.scale.layer_scale [96, 1, 1]").inOrder();
    assertThat(model.stages().get(0).graph().graph().nodes().stream().map(n -> n.op().describe())
        .toList()).containsExactly("conv 7x7 groups 96 +bias -> 96", "ln",
        "conv 1x1 +bias -> 384", "gelu", "conv 1x1 +bias -> 96", "layer scale",
        "stochastic depth 0.0", "+").inOrder();
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void convNeXtTiny_hasTorchvisionsParametersAndItsDepthSchedule(Tool tool) {
    NetworkModel model = compile(tool, "ConvNeXtTiny", CN_BLOCK, CONVNEXT_TINY);
    assertThat(model.cost().parameters()).isEqualTo(28_589_128L);
    assertThat(model.stages().get(model.indexOf("stage4")).output().describe())
        .isEqualTo("7x7x768");
    assertThat(model.stages().get(model.indexOf("stem")).output().describe())
        .isEqualTo("56x56x96");
    // torchvision's ConvNeXt: block i of 18 drops with 0.1 * i / 17
    List<Double> rates = depthRates(model);
    assertThat(rates).hasSize(18);
    for (int i = 0; i < 18; i++) {
      assertThat(rates.get(i)).isWithin(1e-12).of(0.1 * i / 17);
    }
    assertThat(variables(model, "down2")).containsExactly("norm.weight [96]", "norm.bias [96]",
        "conv.weight [192, 96, 2, 2]", "conv.bias [192]").inOrder();
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void efficientNetB0_hasTorchvisionsParametersAndSqueezeExciteOnTheBlocksInput(Tool tool) {
    NetworkModel model = compile(tool, "EfficientNetB0", MB_CONV, MB_CONV1, EFFICIENTNET_B0);
    assertThat(model.cost().parameters()).isEqualTo(5_288_548L);
    // torchvision's MBConv(6, 3, 2, 16, 24): the squeeze has 16 / 4 = 4 channels, from the input
    assertThat(variables(model, "stage2")).containsAtLeast(
        "0.expand.conv.weight [96, 16, 1, 1]", "0.depthwise.conv.weight [96, 1, 3, 3]",
        "0.se.fc1.weight [4, 96, 1, 1]", "0.se.fc1.bias [4]",
        "0.se.fc2.weight [96, 4, 1, 1]", "0.se.fc2.bias [96]",
        "0.project.conv.weight [24, 96, 1, 1]").inOrder();
    assertThat(model.stages().get(model.indexOf("stage2")).graph().graph().nodes().stream()
        .filter(n -> n.name().startsWith("0.se.")).map(n -> n.op().describe()).toList())
        .containsExactly("global avg pool", "conv 1x1 +bias -> 4", "silu",
            "conv 1x1 +bias -> 96", "sigmoid", "x gate").inOrder();
    // 16 blocks counted; the 7 that change shape add nothing, so they drop nothing
    List<Double> rates = depthRates(model);
    assertThat(rates).hasSize(16);
    assertThat(rates.get(0)).isEqualTo(0.0);
    assertThat(rates.get(2)).isWithin(1e-12).of(0.2 * 2 / 15);
    assertThat(rates.get(1)).isEqualTo(0.0);
    assertThat(rates.get(15)).isEqualTo(0.0);
    assertThat(rates.get(14)).isWithin(1e-12).of(0.2 * 14 / 15);
  }
}
