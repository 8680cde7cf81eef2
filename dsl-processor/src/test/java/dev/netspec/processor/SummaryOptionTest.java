package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import java.util.Locale;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code -Anetspec.summary=true} prints each network's shape table as a compiler note. */
class SummaryOptionTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Tool.class)
  void printsTheTableAsANoteOnlyWhenAsked(Tool tool) {
    String spec = Specs.resnet("ResNet50", true, 3, 4, 6, 3);
    Compilation quiet = new SpecCompiler(tool, dir.resolve("quiet")).compile(spec);
    assertThat(notes(quiet)).doesNotContain("25,557,032");

    Compilation noisy = new SpecCompiler(tool, dir.resolve("noisy"))
        .withOptions("-Anetspec.summary=true").compile(spec);
    String notes = notes(noisy);
    assertThat(notes).contains("ResNet50");
    assertThat(notes).contains("layer4");
    assertThat(notes).contains("7x7x2048");
    assertThat(notes).contains("25,557,032");
  }

  private static String notes(Compilation compilation) {
    StringBuilder text = new StringBuilder();
    for (Diagnostic<?> d : compilation.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) {
        text.append(d.getMessage(Locale.ROOT)).append('\n');
      }
    }
    return text.toString();
  }
}
