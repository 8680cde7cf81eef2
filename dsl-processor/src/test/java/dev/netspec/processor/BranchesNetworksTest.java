package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.ir.Concat;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.WeightedSum;
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
 * {@code @Branches} in blocks and in a network, under javac and the Eclipse compiler: the
 * parameters counted by hand, the variables' names, and the paths' wiring in the graph.
 */
class BranchesNetworksTest {
  @TempDir Path dir;

  /** A 3×3 conv-BN-ReLU of a given dilation: a path of a selective kernel. */
  static final String CONV_PATH = Specs.spec("""
      @BlockSpec(parameters = {"out", "dilation = 1"})
      public interface ConvPath {
        @Conv(channels = Let.BOUND) @Let(channels = "out", dilation = "dilation")
        Operand<TFloat32> conv();
      }
      """);

  /** A dense layer whose 3×3 is a selective kernel of two paths, concatenated to its input. */
  static final String SK_DENSE_LAYER = Specs.spec("""
      @BlockSpec(parameters = {"growth = 32", "bnSize = 4"}, shortcut = Shortcut.CONCAT)
      public interface SKDenseLayer {
        @BatchNorm(act = Act.RELU) Operand<TFloat32> norm1();
        @Conv(channels = Let.BOUND, kernel = 1, norm = Norm.NONE, act = Act.NONE)
        @Let(channels = "bnSize * growth")
        Operand<TFloat32> conv1();
        @BatchNorm(act = Act.RELU) Operand<TFloat32> norm2();
        @Branches(value = {
            @Branch(block = ConvPath.class, with = {"out = growth", "dilation = 1"}),
            @Branch(block = ConvPath.class, with = {"out = growth", "dilation = 2"})},
            join = Join.SELECT)
        Operand<TFloat32> conv2();
      }
      """);

  static final String TINY_SK_DENSE = Specs.spec("""
      @Network(name = "TinySKDense", input = @Input(channels = 3, height = 16, width = 16))
      public interface TinySKDenseSpec {
        @Conv(channels = 16) Operand<TFloat32> stem();
        @Stack(block = SKDenseLayer.class, repeat = 2, with = {"growth = 8", "bnSize = 2"})
        Operand<TFloat32> dense();
      }
      """);

  /** One convolution of {@code out} channels and a given kernel: an inception tower. */
  static final String TOWER = Specs.spec("""
      @BlockSpec(parameters = {"out", "kernel = 1"})
      public interface Tower {
        @Conv(channels = Let.BOUND) @Let(channels = "out", kernel = "kernel")
        Operand<TFloat32> conv();
      }
      """);

  static String mixed(String join, String third) {
    return Specs.spec("""
        @Network(name = "Mixed", input = @Input(channels = 8, height = 16, width = 16))
        public interface MixedSpec {
          @Branches(value = {
              @Branch(block = Tower.class, with = "out = 4"),
              @Branch(block = Tower.class, with = {"out = 4", "kernel = 3"}),
              @Branch(block = Tower.class, with = {"out = %s", "kernel = 5"})},
              join = Join.%s)
          Operand<TFloat32> mixed();
        }
        """.formatted(third, join));
  }

  private NetworkModel compile(Tool tool, String className, String... sources) {
    ModelProbe probe = new ModelProbe();
    SpecCompiler compiler = new SpecCompiler(tool, dir).withProcessor(probe);
    Compilation compilation = compiler.compile(
        java.util.Arrays.stream(sources).map(compiler::source).toArray(javax.tools.JavaFileObject[]::new));
    assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
        .that(compilation.errors()).isEmpty();
    return probe.model(className);
  }

  private static List<String> variables(StageModel stage) {
    return stage.graph().parameters().stream().map(p -> p.name() + " " + p.describeShape()).toList();
  }

  /**
   * Layer 0 (16 in): norm1 32, conv1 16·16, norm2 16·2, two paths 2 × (16·8·9 + 8·2), attention
   * fc_reduce 8·8 (C / 16 rounded up to the divisor 8), bn 8·2, fc_select 8·16: 2,864. Layer 1
   * (24 in): 48 + 384 + 32 + 2,336 + 208 = 3,008. The stem: 3·16·9 + 32 = 464.
   */
  @ParameterizedTest
  @EnumSource(Tool.class)
  void selectiveKernelDenseLayer_countsAndNames(Tool tool) {
    NetworkModel model = compile(tool, "TinySKDense", CONV_PATH, SK_DENSE_LAYER, TINY_SK_DENSE);
    assertThat(model.cost().parameters()).isEqualTo(464L + 2_864L + 3_008L);
    StageModel dense = model.stages().get(model.indexOf("dense"));
    assertThat(dense.output().describe()).isEqualTo("16x16x32");
    assertThat(variables(dense)).containsAtLeast(
        "0.norm1.weight [16]",
        "0.conv1.conv.weight [16, 16, 1, 1]",
        "0.norm2.running_mean [16]",
        "0.conv2.paths.0.conv.conv.weight [8, 16, 3, 3]",
        "0.conv2.paths.0.conv.bn.weight [8]",
        "0.conv2.paths.1.conv.conv.weight [8, 16, 3, 3]",
        "0.conv2.attn.fc_reduce.weight [8, 8, 1, 1]",
        "0.conv2.attn.bn.bias [8]",
        "0.conv2.attn.fc_select.weight [16, 8, 1, 1]",
        "1.norm1.weight [24]").inOrder();
    Graph graph = dense.graph().graph();
    assertThat(graph.nodes().stream().filter(n -> n.op() instanceof Conv c && c.dilation() == 2)
        .map(Graph.Node::name).toList())
        .containsExactly("0.conv2.paths.1.conv.conv", "1.conv2.paths.1.conv.conv");
    // both paths read the output of norm2's activation, and the selection weighs both
    int norm2 = indexOf(graph, "0.norm2.act");
    assertThat(graph.nodes().get(indexOf(graph, "0.conv2.paths.0.conv.conv")).inputs())
        .containsExactly(norm2);
    assertThat(graph.nodes().get(indexOf(graph, "0.conv2.paths.1.conv.conv")).inputs())
        .containsExactly(norm2);
    Graph.Node select = graph.nodes().get(indexOf(graph, "0.conv2.select"));
    assertThat(select.op()).isInstanceOf(WeightedSum.class);
    assertThat(select.inputs()).containsExactly(indexOf(graph, "0.conv2.paths.0.conv.act"),
        indexOf(graph, "0.conv2.paths.1.conv.act"), indexOf(graph, "0.conv2.attn.softmax"))
        .inOrder();
  }

  /**
   * Three towers on 8 channels: 1×1 to 4 (32 + 8), 3×3 to 4 (288 + 8), 5×5 to 8 (1,600 + 16):
   * concatenated 16 channels; added where every tower yields 4.
   */
  @ParameterizedTest
  @EnumSource(Tool.class)
  void towersInANetwork_concatenatedInOrder_orAdded(Tool tool) {
    NetworkModel concat = compile(tool, "Mixed", TOWER, mixed("CONCAT", "in"));
    assertThat(concat.cost().parameters()).isEqualTo(40L + 296L + 1_616L);
    StageModel mixed = concat.stages().get(0);
    assertThat(mixed.output().describe()).isEqualTo("16x16x16");
    Graph graph = mixed.graph().graph();
    Graph.Node join = graph.nodes().get(graph.output());
    assertThat(join.name()).isEqualTo("concat");
    assertThat(join.op()).isInstanceOf(Concat.class);
    assertThat(join.inputs()).containsExactly(indexOf(graph, "paths.0.conv.act"),
        indexOf(graph, "paths.1.conv.act"), indexOf(graph, "paths.2.conv.act")).inOrder();
    assertThat(variables(mixed)).contains("paths.2.conv.conv.weight [8, 8, 5, 5]");

    NetworkModel add = compile(tool, "Mixed", TOWER, mixed("ADD", "4"));
    assertThat(add.stages().get(0).output().describe()).isEqualTo("16x16x4");
    assertThat(add.stages().get(0).graph().graph().nodes().get(
        add.stages().get(0).graph().graph().output()).name()).isEqualTo("add");
  }

  private static int indexOf(Graph graph, String name) {
    for (int i = 0; i < graph.nodes().size(); i++) {
      if (graph.nodes().get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError("no node " + name + " in " + graph.nodes().stream().map(Graph.Node::name).toList());
  }
}
