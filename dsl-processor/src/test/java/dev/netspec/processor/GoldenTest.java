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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated code of every block family and modifier, compared byte for byte with files under
 * {@code src/test/resources/golden/}: for each case, the class ({@code <golden>.java.txt}) and its
 * diagrams ({@code <golden>.dot.txt}, {@code <golden>.stages.dot.txt}), the same bytes from javac and the Eclipse compiler. The
 * small specs under {@code golden/specs/} together take every branch of the writer
 * ({@code dev.netspec.processor.write}); ResNet-50, the contract's DenseNet-121 and two zoo
 * networks pin whole real networks. To rewrite the golden files after a deliberate change, run the
 * tests with the environment variable {@code NETSPEC_UPDATE_GOLDEN=1} and review the diff.
 */
class GoldenTest {
  static final String RESNET50 = Specs.resnet("ResNet50", true, 3, 4, 6, 3);
  static final Path DENSENET121 = Path.of("src/test/resources/contract/DenseNet121Spec.java");
  static final Path SPECS = Path.of("src/test/resources/golden/specs");

  /**
   * Specs compiled together, the class whose code is pinned, and the name of its golden files.
   */
  record Case(String golden, String generatedClass, List<String> sources) {
    @Override
    public String toString() {
      return golden;
    }

    String packageName() {
      return generatedClass.substring(0, generatedClass.lastIndexOf('.'));
    }

    String simpleName() {
      return generatedClass.substring(generatedClass.lastIndexOf('.') + 1);
    }
  }

  static final Case RESNET50_CASE = new Case("ResNet50", "t.ResNet50", List.of(RESNET50));
  static final Case DENSENET121_CASE =
      new Case("DenseNet121", "contract.DenseNet121", List.of(read(DENSENET121)));

  static List<Case> cases() {
    return List.of(
        RESNET50_CASE,
        DENSENET121_CASE,
        // @Conv, @Pool, @BatchNorm, @Activation settings; dynamic input; @Network(activation, epsilon)
        spec("ConvUnits", "t.ConvUnits", "ConvUnitsSpec.java"),
        // @Flatten, @Dense, @Dropout, @Normalize, @Activation(PRELU) on flat features; no feature map
        spec("Heads", "t.Heads", "HeadsSpec.java"),
        // @Residual basic and bottleneck (groups, baseWidth, dropout) with @SqueezeExcite; @Classifier settings
        spec("SEResNetMini", "t.SEResNetMini", "SEResNetMiniSpec.java"),
        // pre-activation basic and bottleneck blocks, with and without @SqueezeExcite; AVG_CONV
        spec("PreActResNetMini", "t.PreActResNetMini", "PreActResNetMiniSpec.java"),
        // @SelectiveKernel on basic and bottleneck blocks, beside @SqueezeExcite
        spec("SKResNetMini", "t.SKResNetMini", "SKResNetMiniSpec.java"),
        // @SplitAttention with AVG_CONV after a deep stem, beside @SqueezeExcite
        spec("ResNeStMini", "t.ResNeStMini", "ResNeStMiniSpec.java"),
        // @DualPath at stride 1 and 2, with and without @SqueezeExcite
        spec("DPNMini", "t.DPNMini", "DPNMiniSpec.java"),
        // @DenseBlock and @Transition settings, @SqueezeExcite on a dense block, PReLU network
        spec("DenseNetMini", "t.DenseNetMini", "DenseNetMiniSpec.java"),
        // an @Output contract on a dynamic-size encoder; @Use of it from another package
        spec("Encoder", "enc.Encoder", "enc/EncoderSpec.java"),
        spec("Recognizer", "t.Recognizer", "enc/EncoderSpec.java", "RecognizerSpec.java"),
        // zoo networks, nested in a class as the zoo declares them
        spec("DPN92", "dev.netspec.examples.zoo.DPN92", "zoo/DualPathNets.java"),
        spec("ResNeSt50", "dev.netspec.examples.zoo.ResNeSt50", "zoo/ResNeSts.java"));
  }

  static Stream<Arguments> casesUnderBothCompilers() {
    return cases().stream().flatMap(c -> Stream.of(Tool.values()).map(tool -> Arguments.of(c, tool)));
  }

  private static Case spec(String golden, String generatedClass, String... files) {
    return new Case(golden, generatedClass,
        Stream.of(files).map(file -> read(SPECS.resolve(file))).toList());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TempDir Path dir;

  private Compilation compile(Case c, Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    Compilation compilation = compiler.compile(
        c.sources().stream().map(compiler::source).toArray(JavaFileObject[]::new));
    assertThat(compilation).succeededWithoutWarnings();
    return compilation;
  }

  private static String source(Compilation compilation, Case c) {
    return SpecCompiler.generated(compilation, c.generatedClass());
  }

  private static String diagram(Compilation compilation, Case c) {
    return diagram(compilation, c, ".dot");
  }

  /** The diagram resource {@code <Class><suffix>}: ".dot" (every block) or ".stages.dot". */
  private static String diagram(Compilation compilation, Case c, String suffix) {
    JavaFileObject dot = compilation
        .generatedFile(StandardLocation.CLASS_OUTPUT, c.packageName(), c.simpleName() + suffix)
        .orElseThrow(() -> new AssertionError("no " + c.simpleName() + suffix + " among "
            + compilation.generatedFiles()));
    try {
      return dot.getCharContent(false).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String resnet50(Tool tool) {
    return source(compile(RESNET50_CASE, tool), RESNET50_CASE);
  }

  private String densenet121(Tool tool) {
    return source(compile(DENSENET121_CASE, tool), DENSENET121_CASE);
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

  @ParameterizedTest(name = "{0} under {1}")
  @MethodSource("casesUnderBothCompilers")
  void theGeneratedClassIsTheGoldenFileByteForByte(Case c, Tool tool) throws IOException {
    Compilation compilation = compile(c, tool);
    String golden = golden(c.golden() + ".java.txt", source(compilation, c));
    assertThat(compilation).generatedSourceFile(c.generatedClass()).contentsAsUtf8String()
        .isEqualTo(golden);
  }

  @ParameterizedTest(name = "{0} under {1}")
  @MethodSource("casesUnderBothCompilers")
  void theDiagramIsTheGoldenFileByteForByte(Case c, Tool tool) throws IOException {
    String dot = diagram(compile(c, tool), c);
    assertWithMessage("%s.dot", c.simpleName()).that(dot)
        .isEqualTo(golden(c.golden() + ".dot.txt", dot));
  }

  @ParameterizedTest(name = "{0} under {1}")
  @MethodSource("casesUnderBothCompilers")
  void theOverviewIsTheGoldenFileByteForByte(Case c, Tool tool) throws IOException {
    String dot = diagram(compile(c, tool), c, ".stages.dot");
    assertWithMessage("%s.stages.dot", c.simpleName()).that(dot)
        .isEqualTo(golden(c.golden() + ".stages.dot.txt", dot));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void javacAndTheEclipseCompilerGenerateTheSameBytes(Case c) {
    Compilation javac = compile(c, Tool.JAVAC);
    Compilation ecj = compile(c, Tool.ECJ);
    assertThat(source(ecj, c)).isEqualTo(source(javac, c));
    assertThat(diagram(ecj, c)).isEqualTo(diagram(javac, c));
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
    assertThat(source).contains("scope.in(\"conv\").conv(x, 64, 7, 2, 3, 1, 1, false);");
    assertThat(source).contains("scope.pool(x, Pooling.MAX, 3, 2, 1, false, true);");
    // one method for the projecting block, one for the three blocks like it
    assertThat(source).contains("x = layer2Block(scope.in(\"0\"), x);\n"
        + "    x = layer2Block2(scope.in(\"1\"), x);\n"
        + "    x = layer2Block2(scope.in(\"2\"), x);\n"
        + "    x = layer2Block2(scope.in(\"3\"), x);\n");
    assertThat(source).contains("scope.in(\"downsample\").in(\"0\").conv(x, 512, 1, 2, 0, 1, 1, false)");
    assertThat(source).contains("scope.linear(globalPool, 1000, true);");
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
    assertThat(source).contains("scope.in(\"conv\").conv(act, 128, 1, 1, 0, 1, 1, false);");
    // the dense layers run on the dense block's kernel
    assertThat(source).contains("DenseFeatures features = DenseFeatures.of(scope, x, Nonlinearity.RELU);\n"
        + "    features = denseblock1Block(scope.in(\"denselayer1\"), features);");
    assertThat(source).contains("features.unit(scope.in(\"norm1\"), scope.in(\"act1\"),"
        + " scope.in(\"conv1\"), 128, 1);");
  }
}
