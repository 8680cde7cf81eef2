package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generated code of ResNet-50 and of the contract's DenseNet-121, compared byte for byte with
 * files under {@code src/test/resources/golden/}, and the same bytes from javac and the Eclipse
 * compiler. To rewrite the golden files after a deliberate change, run the tests with the
 * environment variable {@code NETSPEC_UPDATE_GOLDEN=1} and review the diff.
 */
class GoldenTest {
  static final String RESNET50 = Specs.resnet("ResNet50", true, 3, 4, 6, 3);
  static final Path DENSENET121 = Path.of("src/test/resources/contract/DenseNet121Spec.java");

  @TempDir Path dir;

  private String resnet50(Tool tool) {
    Compilation compilation = new SpecCompiler(tool, dir).compile(RESNET50);
    assertThat(compilation).succeededWithoutWarnings();
    return SpecCompiler.generated(compilation, "t.ResNet50");
  }

  private String densenet121(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject spec = compiler.copy(DENSENET121, "contract/DenseNet121Spec.java");
    Compilation compilation = compiler.compile(spec);
    assertThat(compilation).succeededWithoutWarnings();
    return SpecCompiler.generated(compilation, "contract.DenseNet121");
  }

  private static String golden(String name, String actual) throws IOException {
    if (System.getenv("NETSPEC_UPDATE_GOLDEN") != null) {
      Path file = Path.of("src/test/resources/golden", name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
      return actual;
    }
    try (InputStream in = GoldenTest.class.getResourceAsStream("/golden/" + name)) {
      assertWithMessage("golden file %s", name).that(in).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void resnet50IsTheGoldenFileByteForByte(Tool tool) throws IOException {
    Compilation compilation = new SpecCompiler(tool, dir).compile(RESNET50);
    String golden = golden("ResNet50.java.txt", resnet50(tool));
    assertThat(compilation).generatedSourceFile("t.ResNet50").contentsAsUtf8String().isEqualTo(golden);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void densenet121IsTheGoldenFileByteForByte(Tool tool) throws IOException {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    Compilation compilation = compiler.compile(compiler.copy(DENSENET121, "contract/DenseNet121Spec.java"));
    String golden = golden("DenseNet121.java.txt", densenet121(tool));
    assertThat(compilation).generatedSourceFile("contract.DenseNet121").contentsAsUtf8String()
        .isEqualTo(golden);
  }

  @Test
  void javacAndTheEclipseCompilerGenerateTheSameBytes() {
    assertThat(resnet50(Tool.ECJ)).isEqualTo(resnet50(Tool.JAVAC));
    assertThat(densenet121(Tool.ECJ)).isEqualTo(densenet121(Tool.JAVAC));
  }

  @Test
  void twoRunsGenerateTheSameBytes() {
    assertThat(resnet50(Tool.JAVAC)).isEqualTo(resnet50(Tool.JAVAC));
  }

  // ---- key facts, asserted apart from the golden files

  @Test
  void resnet50Constants() {
    String source = resnet50(Tool.JAVAC);
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(25_557_032L);
    assertThat((double) SpecCompiler.longConstant(source, "MACS")).isWithin(0.005 * 4.089e9).of(4.089e9);
    assertThat(SpecCompiler.longConstant(source, "INPUT_CHANNELS")).isEqualTo(3);
    assertThat(SpecCompiler.longConstant(source, "INPUT_HEIGHT")).isEqualTo(224);
    assertThat(SpecCompiler.longConstant(source, "INPUT_WIDTH")).isEqualTo(224);
    assertThat(SpecCompiler.longConstant(source, "OUTPUT_CHANNELS")).isEqualTo(1000);
    assertThat(SpecCompiler.longConstant(source, "OUTPUT_STRIDE")).isEqualTo(0);
    assertThat(SpecCompiler.longConstant(source, "CONV1_STRIDE")).isEqualTo(2);
    assertThat(SpecCompiler.longConstant(source, "MAXPOOL_STRIDE")).isEqualTo(4);
    assertThat(SpecCompiler.longConstant(source, "LAYER1_CHANNELS")).isEqualTo(256);
    assertThat(SpecCompiler.longConstant(source, "LAYER4_CHANNELS")).isEqualTo(2048);
    assertThat(SpecCompiler.longConstant(source, "LAYER4_STRIDE")).isEqualTo(32);
    assertThat(SpecCompiler.longConstant(source, "FC_CHANNELS")).isEqualTo(1000);
    assertThat(SpecCompiler.longConstant(source, "FC_STRIDE")).isEqualTo(0);
  }

  @Test
  void resnet50Code() {
    String source = resnet50(Tool.JAVAC);
    assertThat(source).contains("@Generated(\"dev.netspec.processor.NetworkProcessor\")");
    assertThat(source).contains("public final class ResNet50 implements ResNet50Spec, NetworkGraph {");
    assertThat(source).contains(
        "public static ResNet50 build(Ops tf, Operand<TFloat32> images, Mode mode) {");
    assertThat(source).contains("return ConvUnit.of(64, 7).stride(2).padding(3)\n"
        + "        .apply(layers.in(\"conv1\"), x);");
    assertThat(source).contains("layers.in(\"maxpool\").pool(x, Pooling.MAX, 3, 2, 1, false)");
    assertThat(source).contains("ResidualStage.bottleneck(4, 128).stride(2)");
    assertThat(source).contains("return ClassifierHead.of(1000)\n        .apply(layers.in(\"fc\"), x);");
    // Shape table in the Javadoc: layer4 is 7x7x2048 at stride 32.
    assertThat(source).containsMatch("layer4 +Residual +7x7x2048 +32 +14,964,736 +809,238,528");
    assertThat(source).containsMatch("total +25,557,032 +4,089,184,256");
    assertThat(source).contains("FanMode.FAN_OUT");
  }

  @Test
  void densenet121Constants() {
    String source = densenet121(Tool.JAVAC);
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(7_978_856L);
    assertThat((double) SpecCompiler.longConstant(source, "MACS")).isWithin(0.005 * 2.834e9).of(2.834e9);
    assertThat(SpecCompiler.longConstant(source, "OUTPUT_CHANNELS")).isEqualTo(1000);
    // 64 + 6 x 32 = 256, halved; 128 + 12 x 32 = 512, halved; 256 + 24 x 32 = 1024, halved; 512 + 16 x 32.
    assertThat(SpecCompiler.longConstant(source, "DENSEBLOCK1_CHANNELS")).isEqualTo(256);
    assertThat(SpecCompiler.longConstant(source, "TRANSITION1_CHANNELS")).isEqualTo(128);
    assertThat(SpecCompiler.longConstant(source, "TRANSITION1_STRIDE")).isEqualTo(8);
    assertThat(SpecCompiler.longConstant(source, "DENSEBLOCK3_CHANNELS")).isEqualTo(1024);
    assertThat(SpecCompiler.longConstant(source, "DENSEBLOCK4_CHANNELS")).isEqualTo(1024);
    assertThat(SpecCompiler.longConstant(source, "DENSEBLOCK4_STRIDE")).isEqualTo(32);
    assertThat(SpecCompiler.longConstant(source, "NORM5_CHANNELS")).isEqualTo(1024);
    assertThat(source).contains("FanMode.FAN_IN");
    assertThat(source).contains("TransitionUnit.of(128)");
    assertThat(source).contains("DenseStage.of(32, 6)");
  }
}
