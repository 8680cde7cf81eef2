package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The backbone swap of the formula recognizer: a plain ResNet-50 put where a DenseNet-B encoder
 * (684 channels at stride 16) stood does not compile, and the error says what to change; the
 * changed one compiles.
 */
class EncoderContractTest {
  private static final String HEAD = """
      @Network(name = "ResNet50Encoder", input = @Input(channels = 1),
          output = @Output(channels = 684, stride = 16))
      public interface ResNet50EncoderSpec {
        @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
        @Residual(blocks = 3, planes = 64, dropout = 0.2) Operand<TFloat32> layer1();
      """;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Tool.class)
  void theUnfixedResNet50FailsWithTheFixInTheMessage(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(Specs.spec(HEAD + """
          @Residual(blocks = 4, planes = 128, stride = 2, dropout = 0.2) Operand<TFloat32> layer2();
          @Residual(blocks = 6, planes = 256, stride = 2, dropout = 0.2) Operand<TFloat32> layer3();
          @Residual(blocks = 3, planes = 512, stride = 2, dropout = 0.2) Operand<TFloat32> layer4();
        }
        """));
    Compilation compilation = compiler.compile(file);
    assertThat(compilation).hadErrorContaining(
            "ResNet50Encoder yields 2048 channels at stride 32; @Output wants 684 at stride 16:"
                + " set stride = 1 on layer4 (or on layer2 or layer3), then add"
                + " @Conv(channels = 684, kernel = 1) as the last stage")
        .inFile(file).onLine(8);
    assertThat(SpecCompiler.errors(compilation)).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void theFixedOneCompiles(Tool tool) {
    Compilation compilation = new SpecCompiler(tool, dir).compile(Specs.spec(HEAD + """
          @Residual(blocks = 4, planes = 128, stride = 1, dropout = 0.2) Operand<TFloat32> layer2();
          @Residual(blocks = 6, planes = 256, stride = 2, dropout = 0.2) Operand<TFloat32> layer3();
          @Residual(blocks = 3, planes = 512, stride = 2, dropout = 0.2) Operand<TFloat32> layer4();
          @Conv(channels = 684, kernel = 1) Operand<TFloat32> reduce();
        }
        """));
    assertThat(compilation).succeededWithoutWarnings();
  }
}
