package dev.netspec.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random specs, mostly invalid: random stages with random attribute values, random stage names
 * (some clashing with what the generated class declares), random input, @Output and @Expect.
 * Under javac the processor either generates the class or reports errors; it never reports its
 * internal error, and what it generates has no error in its declarations.
 */
class RandomSpecsPropertyTest {
  private static final List<String> INTS = List.of("1", "2", "3", "4", "8", "16", "32", "64");
  private static final List<String> BAD_INTS = List.of("-2", "-1", "0", "5", "7", "100", "1000");
  private static final List<String> RATES = List.of("0", "0.1", "0.5", "0.99");
  private static final List<String> BAD_RATES = List.of("-0.5", "1", "1.5");
  private static final List<String> NAMES = List.of("conv", "conv1", "CONV1", "pool", "layer1",
      "fooBar", "foo_bar", "images", "last", "layers", "x", "mode", "network", "build", "buildConv",
      "buildStages", "STAGES", "MACS", "input", "output", "variables", "stem", "head", "fc");

  /** Draws spec text from one seed: the same seed gives the same spec, so a failure replays. */
  private static final class Draw {
    private final SplittableRandom random;

    Draw(long seed) {
      random = new SplittableRandom(seed);
    }

    boolean oneIn(int n) {
      return random.nextInt(n) == 0;
    }

    @SafeVarargs
    final <T> T of(T... values) {
      return values[random.nextInt(values.length)];
    }

    String of(List<String> values) {
      return values.get(random.nextInt(values.size()));
    }

    /** Mostly a sensible value, sometimes one that breaks a rule. */
    String anInt() {
      return oneIn(13) ? of(BAD_INTS) : of(INTS);
    }

    String aRate() {
      return oneIn(13) ? of(BAD_RATES) : of(RATES);
    }

    /** Mostly {@code usual}, sometimes any value. */
    String usually(String usual) {
      return oneIn(9) ? anInt() : usual;
    }

    String anEnum(String type, String... constants) {
      return type + "." + of(constants);
    }

    String act() {
      return anEnum("Act", "DEFAULT", "NONE", "RELU", "PRELU", "SILU");
    }

    String bool() {
      return of("true", "false");
    }

    /** One stage annotation (sometimes after a modifier), attributes drawn at random. */
    String stageAnnotation() {
      String modifier = oneIn(41)
          ? of("@SqueezeExcite ", "@SelectiveKernel ", "@SplitAttention ", "@Conv(channels = 4) ") : "";
      int kind = random.nextInt(16);
      String stage;
      if (kind < 4) {
        stage = "@Conv(channels = " + anInt() + ", kernel = " + of("1", "3", "3", "5", "7")
            + ", stride = " + of("1", "1", "2") + ", padding = " + usually("-1") + ", groups = "
            + usually("1") + ", bias = " + bool() + ", act = " + act() + ", order = "
            + anEnum("Order", "CONV_NORM_ACT", "NORM_ACT_CONV") + ")";
      } else if (kind < 6) {
        stage = "@Pool(kind = " + anEnum("PoolKind", "MAX", "AVG") + ", kernel = " + usually("2")
            + ", stride = " + usually("-1") + ", padding = " + usually("0") + ", ceil = " + bool() + ")";
      } else if (kind < 8) {
        stage = "@Residual(blocks = " + usually("2") + ", planes = " + anInt() + ", block = "
            + anEnum("Block", "BASIC", "BOTTLENECK") + ", stride = " + usually("2") + ", groups = "
            + usually("1") + ", baseWidth = " + usually("64") + ", preact = " + bool()
            + ", downsample = " + anEnum("Downsample", "CONV", "AVG_CONV") + ")";
      } else if (kind < 10) {
        stage = "@DenseBlock(growth = " + anInt() + ", layers = " + usually("3") + ", bottleneck = "
            + usually("4") + ", dropout = " + aRate() + ", order = "
            + anEnum("Order", "CONV_NORM_ACT", "NORM_ACT_CONV") + ")";
      } else if (kind < 12) {
        stage = "@Transition(compression = " + aRate() + (oneIn(8) ? ", channels = 8" : "")
            + ", ceil = " + bool() + ")";
      } else {
        stage = simpleStage();
      }
      return modifier + stage;
    }

    private String simpleStage() {
      return switch (random.nextInt(10)) {
        case 0 -> "@Dropout(rate = " + aRate() + ")";
        case 1 -> "@BatchNorm(epsilon = " + aRate() + ", act = " + act() + ")";
        case 2 -> "@Activation(" + act() + ")";
        case 3 -> "@GlobalPool(" + anEnum("PoolKind", "MAX", "AVG") + ")";
        case 4 -> "@Flatten";
        case 5 -> "@Dense(units = " + anInt() + ", act = " + act() + ")";
        case 6 -> "@Classifier(classes = " + anInt() + ", dropout = " + aRate() + ")";
        case 7 -> of("@Use(UsedSpec.class)", "@Use(value = UsedSpec.class, until = \"b\")",
            "@Use(value = UsedSpec.class, until = \"zz\")", "@Use(String.class)", "@Use(RSpec.class)");
        case 8 -> "@Normalize";
        default -> "@DualPath(blocks = " + usually("2") + ", width = " + of("64", "256", anInt())
            + ", inc = " + anInt() + ", kR = " + of("32", "96", anInt()) + ", G = " + usually("4")
            + ", stride = " + of("1", "2", anInt()) + ")";
      };
    }

    String name() {
      if (oneIn(7)) {
        return of(NAMES);
      }
      StringBuilder name = new StringBuilder();
      for (int i = 0; i < 4; i++) {
        name.append((char) ('a' + random.nextInt(26)));
      }
      return name.toString();
    }

    String spec() {
      int count = 1 + random.nextInt(6);
      Set<String> stages = new LinkedHashSet<>();
      for (int i = 0; i < count; i++) {
        String signature = oneIn(41) ? of("String %s();", "Operand<TFloat32> %s(int size);")
            : "Operand<TFloat32> %s();";
        stages.add("  " + stageAnnotation() + " " + String.format(Locale.ROOT, signature, name()));
      }
      String height = side();
      String width = oneIn(9) ? side() : height;
      String input = "input = @Input(channels = " + (oneIn(9) ? anInt() : "3") + ", height = "
          + height + ", width = " + width + ")";
      String output = of("", "", "", "", "", "", ", output = @Output(channels = 10)",
          ", output = @Output(stride = 0)", ", output = @Output(stride = 4, channels = 3)",
          ", output = @Output(stride = -7)");
      String expect = of("", "", "", "", "", "", "@Expect(parameters = 1000)\n",
          "@Expect(macs = 5, maxParameters = 0)\n", "@Expect(maxMacs = 100000000000L)\n");
      return "@Network(name = \"R\", " + input + output + ")\n" + expect
          + "public interface RSpec {\n" + String.join("\n", stages) + "\n}\n";
    }

    private String side() {
      return oneIn(7) ? of("0", "1", "7") : of("-1", "32", "64", "224");
    }
  }

  static IntStream seeds() {
    return IntStream.range(0, 150);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theProcessorGeneratesOrReportsButNeverFails(int seed) throws IOException {
    String spec = new Draw(seed).spec();
    Path dir = Files.createTempDirectory("netspec-random");
    try {
      SpecCompiler compiler = new SpecCompiler(Tool.JAVAC, dir);
      JavaFileObject random = compiler.source(Specs.spec(spec));
      JavaFileObject used = compiler.source(Specs.spec("""
          @Network(input = @Input(channels = 3))
          public interface UsedSpec {
            @Conv(channels = 8) Operand<TFloat32> a();
            @Conv(channels = 16, stride = 2) Operand<TFloat32> b();
          }
          """));
      Compilation compilation = compiler.compile(random, used);
      SpecCompiler.assertNoInternalError(compilation);
      boolean generated = compilation.status() == Compilation.Status.SUCCESS
          && compilation.generatedSourceFile("t.R").isPresent();
      List<Diagnostic<? extends JavaFileObject>> errors = compilation.errors();
      assertWithMessage("neither generated nor reported:\n%s", spec)
          .that(generated || !errors.isEmpty()).isTrue();
      for (Diagnostic<? extends JavaFileObject> error : errors) {
        assertWithMessage("an error in generated code, for\n%s%s", spec, SpecCompiler.describe(compilation))
            .that(error.getSource() == null ? "" : error.getSource().toUri().toString())
            .doesNotContain("SOURCE_OUTPUT");
      }
      if (generated) {
        String source = SpecCompiler.generated(compilation, "t.R");
        assertWithMessage("parameters of\n%s", spec)
            .that(SpecCompiler.longConstant(source, "PARAMETERS")).isAtLeast(0L);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (UncheckedIOException e) {
        // best effort
      }
    }
  }
}
