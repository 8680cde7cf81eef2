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
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.statistics.Statistics;

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

  /** Mostly a sensible value, sometimes one that breaks a rule. */
  private static Arbitrary<String> anInt() {
    return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.of(INTS)), Tuple.of(1, Arbitraries.of(BAD_INTS)));
  }

  private static Arbitrary<String> aRate() {
    return Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.of(RATES)), Tuple.of(1, Arbitraries.of(BAD_RATES)));
  }

  /** Mostly {@code usual}, sometimes any value. */
  private static Arbitrary<String> usually(String usual) {
    return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(usual)), Tuple.of(1, anInt()));
  }

  private static Arbitrary<String> anEnum(String type, String... constants) {
    return Arbitraries.of(constants).map(c -> type + "." + c);
  }

  /** One stage annotation (sometimes with a modifier), attributes drawn at random. */
  private static Arbitrary<String> stageAnnotation() {
    Arbitrary<String> act = anEnum("Act", "DEFAULT", "NONE", "RELU", "PRELU", "SILU");
    Arbitrary<String> conv = Combinators.combine(anInt(), Arbitraries.of("1", "3", "3", "5", "7"),
            Arbitraries.of("1", "1", "2"), usually("-1"), usually("1"),
            Arbitraries.of("true", "false"), act, anEnum("Order", "CONV_NORM_ACT", "NORM_ACT_CONV"))
        .as((channels, kernel, stride, padding, groups, bias, a, order) -> "@Conv(channels = "
            + channels + ", kernel = " + kernel + ", stride = " + stride + ", padding = " + padding
            + ", groups = " + groups + ", bias = " + bias + ", act = " + a + ", order = " + order + ")");
    Arbitrary<String> pool = Combinators.combine(anEnum("PoolKind", "MAX", "AVG"), usually("2"),
            usually("-1"), usually("0"), Arbitraries.of("true", "false"))
        .as((kind, kernel, stride, padding, ceil) -> "@Pool(kind = " + kind + ", kernel = " + kernel
            + ", stride = " + stride + ", padding = " + padding + ", ceil = " + ceil + ")");
    Arbitrary<String> residual = Combinators.combine(usually("2"), anInt(), anEnum("Block", "BASIC",
            "BOTTLENECK"), usually("2"), usually("1"), usually("64"), Arbitraries.of("true", "false"),
            anEnum("Downsample", "CONV", "AVG_CONV"))
        .as((blocks, planes, block, stride, groups, baseWidth, preact, down) -> "@Residual(blocks = "
            + blocks + ", planes = " + planes + ", block = " + block + ", stride = " + stride
            + ", groups = " + groups + ", baseWidth = " + baseWidth + ", preact = " + preact
            + ", downsample = " + down + ")");
    Arbitrary<String> dense = Combinators.combine(anInt(), usually("3"), usually("4"), aRate(),
            anEnum("Order", "CONV_NORM_ACT", "NORM_ACT_CONV"))
        .as((growth, layers, bottleneck, dropout, order) -> "@DenseBlock(growth = " + growth
            + ", layers = " + layers + ", bottleneck = " + bottleneck + ", dropout = " + dropout
            + ", order = " + order + ")");
    Arbitrary<String> transition = Combinators.combine(aRate(), anInt(), Arbitraries.of("true", "false"))
        .as((compression, channels, ceil) -> "@Transition(compression = " + compression
            + (channels.equals("8") ? ", channels = 8" : "") + ", ceil = " + ceil + ")");
    Arbitrary<String> simple = Arbitraries.oneOf(
        aRate().map(r -> "@Dropout(rate = " + r + ")"),
        Combinators.combine(aRate(), act).as((e, a) -> "@BatchNorm(epsilon = " + e + ", act = " + a + ")"),
        act.map(a -> "@Activation(" + a + ")"),
        anEnum("PoolKind", "MAX", "AVG").map(k -> "@GlobalPool(" + k + ")"),
        Arbitraries.just("@Flatten"),
        Combinators.combine(anInt(), act).as((u, a) -> "@Dense(units = " + u + ", act = " + a + ")"),
        Combinators.combine(anInt(), aRate()).as((c, d) -> "@Classifier(classes = " + c + ", dropout = " + d + ")"),
        Arbitraries.of("@Use(UsedSpec.class)", "@Use(value = UsedSpec.class, until = \"b\")",
            "@Use(value = UsedSpec.class, until = \"zz\")", "@Use(String.class)", "@Use(RSpec.class)"),
        Arbitraries.just("@DualPath(blocks = 1, width = 64, inc = 16, kR = 32, G = 4)"));
    Arbitrary<String> stage = Arbitraries.frequencyOf(
        Tuple.of(4, conv), Tuple.of(2, pool),
        Tuple.of(2, residual), Tuple.of(2, dense),
        Tuple.of(2, transition), Tuple.of(4, simple));
    Arbitrary<String> modifier = Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.just("")),
        Tuple.of(1, Arbitraries.of("@SqueezeExcite ", "@SelectiveKernel ", "@SplitAttention ",
            "@Conv(channels = 4) ")));
    return Combinators.combine(modifier, stage).as((m, s) -> m + s);
  }

  @Provide
  Arbitrary<String> specs() {
    Arbitrary<String> stages = Combinators.combine(stageAnnotation(),
            Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(NAMES)),
                Tuple.of(6, Arbitraries.strings().withCharRange('a', 'z').ofLength(4))),
            Arbitraries.frequencyOf(Tuple.of(40, Arbitraries.just("Operand<TFloat32> %s();")),
                Tuple.of(1, Arbitraries.of("String %s();", "Operand<TFloat32> %s(int size);"))))
        .as((annotation, name, signature) -> "  " + annotation + " " + String.format(Locale.ROOT, signature, name))
        .list().ofMinSize(1).ofMaxSize(6)
        .map(list -> String.join("\n", list.stream().distinct().toList()));
    Arbitrary<String> side = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("-1", "32", "64", "224")),
        Tuple.of(1, Arbitraries.of("0", "1", "7")));
    Arbitrary<String> input = Combinators.combine(Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just("3")), Tuple.of(1, anInt())), side, side,
            Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(true)), Tuple.of(1, Arbitraries.just(false))))
        .as((c, h, w, square) -> "input = @Input(channels = " + c + ", height = " + h + ", width = "
            + (square ? h : w) + ")");
    Arbitrary<String> output = Arbitraries.of("", "", "", "", "", "", ", output = @Output(channels = 10)",
        ", output = @Output(stride = 0)", ", output = @Output(stride = 4, channels = 3)",
        ", output = @Output(stride = -7)");
    Arbitrary<String> expect = Arbitraries.of("", "", "", "", "", "", "@Expect(parameters = 1000)\n",
        "@Expect(macs = 5, maxParameters = 0)\n", "@Expect(maxMacs = 100000000000L)\n");
    return Combinators.combine(input, output, expect, stages).as((in, out, ex, body) ->
        "@Network(name = \"R\", " + in + out + ")\n" + ex
            + "public interface RSpec {\n" + body + "\n}\n");
  }

  @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
  void theProcessorGeneratesOrReportsButNeverFails(@ForAll("specs") String spec) throws IOException {
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
      Statistics.collect(generated ? "generated" : "reported");
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
