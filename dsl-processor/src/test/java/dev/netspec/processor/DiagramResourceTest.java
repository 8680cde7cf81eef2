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

/** The processor writes each network's diagram as a resource next to its class. */
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
          @Classifier(classes = 10) Operand<TFloat32> head();
        }
        """));
    JavaFileObject dot = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "t", "Small.dot")
        .orElseThrow(() -> new AssertionError("no Small.dot among " + compilation.generatedFiles()));
    String text = dot.getCharContent(true).toString();
    assertThat(text).startsWith("digraph \"Small\" {");
    assertThat(text).contains("input\\n32x32x3");
    assertThat(text).contains("stem\\nConv\\n32x32x16");
    // The projection shortcut of the strided first block, the identity of the second.
    assertThat(text).contains("[label=\"1x1 conv\"]");
    assertThat(text).contains("[label=\"shortcut\"]");
    // Dense layers concatenate: 32 + 8, then + 8.
    assertThat(text).contains("concat\\n40");
    assertThat(text).contains("concat\\n48");
    assertThat(text).contains("head\\nClassifier\\n10");
    assertThat(text.trim()).endsWith("}");
  }
}
