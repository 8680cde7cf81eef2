package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Parameter;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.StageModel;
import dev.netspec.processor.testing.ModelProbe;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Networks written with user-declared blocks, checked under javac and the Eclipse compiler: their
 * parameters and MACs against torchvision's, their variable names, and the shortcuts in their
 * graphs.
 */
class UserBlockNetworksTest {
  @TempDir Path dir;

  /** torchvision's InvertedResidual for an expansion other than 1. */
  static String invertedResidual(String shortcut) {
    return Specs.spec("""
        @BlockSpec(parameters = {"out", "stride = 1", "expand = 6"}, shortcut = Shortcut.%s)
        public interface InvertedResidual {
          @Conv(channels = Let.BOUND, kernel = 1, act = Act.RELU6)
          @Let(channels = "in * expand")
          Operand<TFloat32> expand();
          @Conv(channels = Let.BOUND, depthwise = true, act = Act.RELU6)
          @Let(channels = "in * expand", stride = "stride")
          Operand<TFloat32> depthwise();
          @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE)
          @Let(channels = "out")
          Operand<TFloat32> project();
        }
        """.formatted(shortcut));
  }

  /** The first block of MobileNetV2, whose expansion is 1: no expanding convolution. */
  static final String DEPTHWISE_SEPARABLE = Specs.spec("""
      @BlockSpec(parameters = "out")
      public interface DepthwiseSeparable {
        @Conv(channels = Let.BOUND, depthwise = true, act = Act.RELU6)
        @Let(channels = "in")
        Operand<TFloat32> depthwise();
        @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE)
        @Let(channels = "out")
        Operand<TFloat32> project();
      }
      """);

  static final String MOBILENET_V2 = Specs.spec("""
      @Network(name = "MobileNetV2", input = @Input(channels = 3, height = 224, width = 224),
          activation = Act.RELU6)
      public interface MobileNetV2Spec {
        @Conv(channels = 32, stride = 2) Operand<TFloat32> stem();
        @Stack(block = DepthwiseSeparable.class, with = "out = 16") Operand<TFloat32> stage1();
        @Stack(block = InvertedResidual.class, repeat = 2, with = "out = 24", first = "stride = 2")
        Operand<TFloat32> stage2();
        @Stack(block = InvertedResidual.class, repeat = 3, with = "out = 32", first = "stride = 2")
        Operand<TFloat32> stage3();
        @Stack(block = InvertedResidual.class, repeat = 4, with = "out = 64", first = "stride = 2")
        Operand<TFloat32> stage4();
        @Stack(block = InvertedResidual.class, repeat = 3, with = "out = 96") Operand<TFloat32> stage5();
        @Stack(block = InvertedResidual.class, repeat = 3, with = "out = 160", first = "stride = 2")
        Operand<TFloat32> stage6();
        @Stack(block = InvertedResidual.class, with = "out = 320") Operand<TFloat32> stage7();
        @Conv(channels = 1280, kernel = 1) Operand<TFloat32> head();
        @Classifier(classes = 1000, dropout = 0.2) Operand<TFloat32> classifier();
      }
      """);

  private NetworkModel mobileNetV2(Tool tool, String shortcut) {
    ModelProbe probe = new ModelProbe();
    SpecCompiler compiler = new SpecCompiler(tool, dir).withProcessor(probe);
    Compilation compilation = compiler.compile(compiler.source(invertedResidual(shortcut)),
        compiler.source(DEPTHWISE_SEPARABLE), compiler.source(MOBILENET_V2));
    assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
        .that(compilation.errors()).isEmpty();
    return probe.model("MobileNetV2");
  }

  private static long adds(NetworkModel model) {
    return model.stages().stream()
        .flatMap(s -> s.graph().graph().nodes().stream())
        .filter(n -> n.op() instanceof Add)
        .count();
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void mobileNetV2_hasTorchvisionsParametersAndMacs(Tool tool) {
    NetworkModel model = mobileNetV2(tool, "ADD_WHEN_SHAPES_MATCH");
    assertThat(model.cost().parameters()).isEqualTo(3_504_872L);
    // torchvision: 300.77 M multiply-adds at 224 (convolutions and the linear layer)
    assertThat((double) model.cost().macs()).isWithin(0.005 * 300.8e6).of(300.8e6);
    assertThat(model.output().channels()).isEqualTo(1000);
    StageModel stage6 = model.stages().get(model.indexOf("stage6"));
    assertThat(stage6.output().describe()).isEqualTo("7x7x160");
    assertThat(stage6.output().stride()).isEqualTo(32);
  }

  /** Ten blocks keep their shape (stride 1, channels kept) and add their input; the others do not. */
  @ParameterizedTest
  @EnumSource(Tool.class)
  void mobileNetV2_addsWhereShapesMatch_andTheAddFreeChainIsDistinguishable(Tool tool) {
    NetworkModel residual = mobileNetV2(tool, "ADD_WHEN_SHAPES_MATCH");
    NetworkModel chain = mobileNetV2(tool, "NONE");
    assertThat(adds(residual)).isEqualTo(10);
    assertThat(adds(chain)).isEqualTo(0);
    assertThat(chain.cost()).isEqualTo(residual.cost());
    Graph stage3 = residual.stages().get(residual.indexOf("stage3")).graph().graph();
    assertThat(stage3.nodes().stream().filter(n -> n.op() instanceof Add).map(Graph.Node::name).toList())
        .containsExactly("1.add", "2.add");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void mobileNetV2_variablesAreNamedByStageRepetitionAndMethod(Tool tool) {
    NetworkModel model = mobileNetV2(tool, "ADD_WHEN_SHAPES_MATCH");
    List<String> stage2 = model.stages().get(model.indexOf("stage2")).graph().parameters().stream()
        .map(p -> p.name() + " " + p.describeShape()).toList();
    assertThat(stage2).containsAtLeast(
        "0.expand.conv.weight [96, 16, 1, 1]",
        "0.expand.bn.running_var [96]",
        "0.depthwise.conv.weight [96, 1, 3, 3]",
        "0.project.conv.weight [24, 96, 1, 1]",
        "1.depthwise.conv.weight [144, 1, 3, 3]",
        "1.project.bn.bias [24]").inOrder();
    assertThat(model.stages().get(model.indexOf("stage2")).graph().parameters().stream()
        .map(Parameter::name).filter(n -> n.startsWith("0.")).count()).isEqualTo(15);
  }
}
