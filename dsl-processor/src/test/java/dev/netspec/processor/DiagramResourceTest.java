package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.io.IOException;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The processor writes each network's diagram and its variables as resources next to its class,
 * both from the stages' graphs of primitives.
 */
class DiagramResourceTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Tool.class)
  void writesTheDotDiagramNextToTheClass(Tool tool) throws IOException {
    Compilation compilation = new SpecCompiler(tool, dir).compile(Specs.spec("""
        @Network(name = "Small", input = @Input(height = 32, width = 32))
        public interface SmallSpec {
          @Conv(channels = 16) Operand<TFloat32> stem();
          @Residual(block = Block.BASIC, blocks = 2, planes = 32, stride = 2) Operand<TFloat32> layer1();
          @DenseBlock(growth = 8, layers = 2) Operand<TFloat32> dense();
          @DualPath(blocks = 1, width = 64, inc = 8, kR = 16, G = 4) Operand<TFloat32> dpn();
          @Classifier(classes = 10) Operand<TFloat32> head();
        }
        """));
    JavaFileObject dot = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "t", "Small.dot")
        .orElseThrow(() -> new AssertionError("no Small.dot among " + compilation.generatedFiles()));
    String text = dot.getCharContent(true).toString();
    assertThat(text).startsWith("digraph \"Small\" {");
    assertThat(text).contains("input\\n32x32x3");
    // A stage that is one chain of primitives is one box listing them.
    assertThat(text).contains("stem\\nConv\\nconv 3x3 -> 16, bn, relu\\n32x32x16");
    // The projection shortcut of the strided first block; the second block has none.
    assertThat(text).contains("0.downsample\\nconv 1x1 /2 -> 32\\nbn\\n16x16x32");
    assertThat(text).doesNotContain("1.downsample");
    assertThat(text).contains("0\\n+\\nrelu\\n16x16x32");
    // Dense layers concatenate: 32 + 8, then + 8.
    assertThat(text).contains("denselayer1.concat\\nconcat\\n16x16x40");
    assertThat(text).contains("denselayer2.concat\\nconcat\\n16x16x48");
    // A dual-path block splits its output into the residual and the dense path.
    assertThat(text).contains("subgraph cluster_dpn {");
    assertThat(text).contains("1.residual_part\\nchannels 0..63\\n16x16x64");
    assertThat(text).contains("1.dense_part\\nchannels 64..71\\n16x16x8");
    assertThat(text).contains("head\\nClassifier\\nglobal avg pool, linear -> 10\\n10");
    assertThat(text.trim()).endsWith("}");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void writesEveryVariableWithItsShapeNextToTheClass(Tool tool) throws IOException {
    Compilation compilation = new SpecCompiler(tool, dir).compile(Specs.spec("""
        @Network(name = "Small", activation = Act.PRELU, input = @Input(height = 32, width = 32))
        public interface SmallSpec {
          @Conv(channels = 16, bias = true) Operand<TFloat32> stem();
          @Residual(block = Block.BASIC, blocks = 1, planes = 32, stride = 2) Operand<TFloat32> layer1();
          @Classifier(classes = 10) Operand<TFloat32> head();
        }
        """));
    JavaFileObject manifest = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "t",
        "Small.parameters.tsv").orElseThrow(() -> new AssertionError("no Small.parameters.tsv"));
    assertThat(manifest.getCharContent(true).toString().lines().toList()).containsExactly(
        "stem.conv.weight\t[16, 3, 3, 3]\ttrue",
        "stem.conv.bias\t[16]\ttrue",
        "stem.bn.weight\t[16]\ttrue",
        "stem.bn.bias\t[16]\ttrue",
        "stem.bn.running_mean\t[16]\tfalse",
        "stem.bn.running_var\t[16]\tfalse",
        "stem.act.weight\t[16]\ttrue",
        "layer1.0.conv1.weight\t[32, 16, 3, 3]\ttrue",
        "layer1.0.bn1.weight\t[32]\ttrue",
        "layer1.0.bn1.bias\t[32]\ttrue",
        "layer1.0.bn1.running_mean\t[32]\tfalse",
        "layer1.0.bn1.running_var\t[32]\tfalse",
        "layer1.0.act1.weight\t[32]\ttrue",
        "layer1.0.conv2.weight\t[32, 32, 3, 3]\ttrue",
        "layer1.0.bn2.weight\t[32]\ttrue",
        "layer1.0.bn2.bias\t[32]\ttrue",
        "layer1.0.bn2.running_mean\t[32]\tfalse",
        "layer1.0.bn2.running_var\t[32]\tfalse",
        "layer1.0.downsample.0.weight\t[32, 16, 1, 1]\ttrue",
        "layer1.0.downsample.1.weight\t[32]\ttrue",
        "layer1.0.downsample.1.bias\t[32]\ttrue",
        "layer1.0.downsample.1.running_mean\t[32]\tfalse",
        "layer1.0.downsample.1.running_var\t[32]\tfalse",
        "layer1.0.act2.weight\t[32]\ttrue",
        "head.weight\t[10, 32]\ttrue",
        "head.bias\t[10]\ttrue").inOrder();
  }
}
