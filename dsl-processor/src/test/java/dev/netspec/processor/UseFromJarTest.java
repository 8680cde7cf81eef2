package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code @Use} of a spec that comes from a jar compiled earlier, by javac or by ECJ: the class
 * file keeps the stages in declaration order, so the used stages and the shapes after them are
 * those of the source. Stage names are deliberately out of alphabetical order.
 */
class UseFromJarTest {
  private static final String USED = Specs.spec("""
      @Network(name = "Backbone", input = @Input(channels = 1))
      public interface BackboneSpec {
        @Conv(channels = 8, stride = 2) Operand<TFloat32> zeta();
        @Conv(channels = 24) Operand<TFloat32> alpha();
        @Pool(kind = PoolKind.MAX) Operand<TFloat32> mid();
        @Conv(channels = 40, stride = 2) Operand<TFloat32> beta();
      }
      """);

  private static final String USING = """
      package u;

      import dev.netspec.annotations.*;
      import org.tensorflow.Operand;
      import org.tensorflow.types.TFloat32;
      import t.BackboneSpec;

      @Network(name = "Encoder", input = @Input(channels = 1, height = 64, width = 64))
      public interface EncoderSpec {
        @Use(value = BackboneSpec.class, until = "mid") Operand<TFloat32> backbone();
        @Conv(channels = 16, kernel = 1) Operand<TFloat32> neck();
      }
      """;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Tool.class)
  void usesTheStagesOfASpecFromAJarInDeclarationOrder(Tool tool) throws IOException {
    File jar = compileToJar(tool);
    Compilation compilation = new SpecCompiler(tool, dir.resolve("using")).withClasspath(jar)
        .compile(USING);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).succeededWithoutWarnings();
    String source = SpecCompiler.generated(compilation, "u.Encoder");
    // zeta (stride 2, 8) → alpha (24) → mid (max pool 2): 24 channels at stride 4, 16x16.
    assertThat(source).contains("BACKBONE_CHANNELS = 24;");
    assertThat(source).contains("BACKBONE_STRIDE = 4;");
    assertThat(source).contains("\"backbone\", \"Use\", false, 16, 16, 24, 4");
    assertThat(source).contains("Backbone.build(layers.in(\"backbone\"), x, \"mid\").output()");
    // 1·8·9 + 16 (BN) + 8·24·9 + 48 + 24·16 + 32: beta is not used.
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS"))
        .isEqualTo(72L + 16 + 1728 + 48 + 384 + 32);
  }

  /** Compiles the used spec (no processor) with {@code tool} and packs its classes in a jar. */
  private File compileToJar(Tool tool) throws IOException {
    SpecCompiler compiler = new SpecCompiler(tool, dir.resolve("used"));
    JavaFileObject source = compiler.source(USED);
    // In a real jar the generated Backbone sits beside its spec; javac resolves the import.
    JavaFileObject generated = compiler.source("package t;\npublic final class Backbone {}\n");
    Compilation classes = compiler.compileClasses(source, generated);
    assertThat(classes).succeeded();
    File jar = dir.resolve("backbone.jar").toFile();
    try (OutputStream file = Files.newOutputStream(jar.toPath());
        JarOutputStream out = new JarOutputStream(file)) {
      List<JavaFileObject> files = classes.generatedFiles().stream()
          .filter(f -> f.getKind() == JavaFileObject.Kind.CLASS).toList();
      assertThat(files).isNotEmpty();
      for (JavaFileObject f : files) {
        String path = f.toUri().getPath();
        String entry = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length());
        out.putNextEntry(new JarEntry(entry));
        try (InputStream in = f.openInputStream()) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }
}
