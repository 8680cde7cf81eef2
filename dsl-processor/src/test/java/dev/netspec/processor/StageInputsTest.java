package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netspec.processor.testing.Specs.spec;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.read.StageKind;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A stage whose input the runtime cannot take is a compile error, on the stage, never a failure
 * when the graph is built: for every stage kind, after a flattening stage and on a feature map,
 * the spec compiles exactly where the runtime's primitive takes that input. Under javac and the
 * Eclipse compiler; specs start on line 7.
 */
class StageInputsTest {
  @TempDir Path dir;

  /** The inputs a stage's runtime primitive takes. */
  enum Takes {
    /** [N, H, W, C] only: {@code Layers.channels} rejects any other rank. */
    FEATURE_MAP,
    /** [N, C] only: {@code Layers.linear} and {@code Layers.l2Normalize}. */
    FLAT,
    /** Either: BatchNorm ([N, C] as BatchNorm1d), activations, dropout. */
    EITHER
  }

  /** Each stage kind: an annotation of it, and what the runtime builds it on. */
  private record Kind(String annotation, Takes takes) {}

  private static final Map<StageKind, Kind> KINDS = new EnumMap<>(Map.ofEntries(
      Map.entry(StageKind.CONV, new Kind("@Conv(channels = 8)", Takes.FEATURE_MAP)),
      Map.entry(StageKind.POOL, new Kind("@Pool(kernel = 2)", Takes.FEATURE_MAP)),
      Map.entry(StageKind.BATCH_NORM, new Kind("@BatchNorm(act = Act.RELU)", Takes.EITHER)),
      Map.entry(StageKind.ACTIVATION, new Kind("@Activation(Act.PRELU)", Takes.EITHER)),
      Map.entry(StageKind.DROPOUT, new Kind("@Dropout(rate = 0.1)", Takes.EITHER)),
      Map.entry(StageKind.RESIDUAL, new Kind("@Residual(blocks = 1, planes = 4)", Takes.FEATURE_MAP)),
      Map.entry(StageKind.DENSE_BLOCK, new Kind("@DenseBlock(growth = 4, layers = 2)", Takes.FEATURE_MAP)),
      Map.entry(StageKind.TRANSITION, new Kind("@Transition", Takes.FEATURE_MAP)),
      Map.entry(StageKind.DUAL_PATH,
          new Kind("@DualPath(blocks = 1, width = 64, inc = 8, kR = 64, G = 4)", Takes.FEATURE_MAP)),
      Map.entry(StageKind.USE, new Kind("@Use(SmallSpec.class)", Takes.FEATURE_MAP)),
      Map.entry(StageKind.GLOBAL_POOL, new Kind("@GlobalPool", Takes.FEATURE_MAP)),
      Map.entry(StageKind.FLATTEN, new Kind("@Flatten", Takes.FEATURE_MAP)),
      Map.entry(StageKind.DENSE, new Kind("@Dense(units = 10)", Takes.FLAT)),
      // the classifier global-pools first: Layers.globalPool takes a feature map only
      Map.entry(StageKind.CLASSIFIER, new Kind("@Classifier(classes = 10)", Takes.FEATURE_MAP)),
      Map.entry(StageKind.NORMALIZE, new Kind("@Normalize", Takes.FLAT)),
      Map.entry(StageKind.STACK, new Kind("@Stack(block = TinyBlock.class)", Takes.FEATURE_MAP)),
      Map.entry(StageKind.LAYER_NORM, new Kind("@LayerNorm", Takes.EITHER)),
      Map.entry(StageKind.LAYER_SCALE, new Kind("@LayerScale", Takes.FEATURE_MAP)),
      Map.entry(StageKind.STOCHASTIC_DEPTH, new Kind("@StochasticDepth(rate = 0.1)", Takes.EITHER)),
      Map.entry(StageKind.SQUEEZE_EXCITE, new Kind("@SqueezeExcite", Takes.FEATURE_MAP)),
      Map.entry(StageKind.BRANCHES, new Kind("@Branches({@Branch(block = TinyBlock.class),"
          + " @Branch(block = TinyBlock.class)})", Takes.FEATURE_MAP))));

  /** The kinds whose code is written once the writer walks each stage's graph. */
  private static final java.util.Set<StageKind> WRITTEN_FROM_THE_GRAPH = java.util.EnumSet.of(
      StageKind.STACK, StageKind.LAYER_NORM, StageKind.LAYER_SCALE, StageKind.STOCHASTIC_DEPTH,
      StageKind.SQUEEZE_EXCITE);

  /** The block a {@code @Stack} stage takes. */
  private static final String TINY_BLOCK = spec("""
      @BlockSpec
      public interface TinyBlock {
        @Conv(channels = 8) Operand<TFloat32> conv();
      }
      """);

  /** The spec a {@code @Use} stage takes: 8 channels in. */
  private static final String SMALL = spec("""
      @Network(input = @Input(channels = 8))
      public interface SmallSpec {
        @Conv(channels = 8) Operand<TFloat32> conv();
      }
      """);

  @Test
  void everyStageKindIsCovered() {
    assertThat(KINDS.keySet()).containsExactlyElementsIn(StageKind.values());
  }

  static Stream<Arguments> kinds() {
    return Arrays.stream(Tool.values())
        .flatMap(tool -> Arrays.stream(StageKind.values())
            .filter(kind -> !WRITTEN_FROM_THE_GRAPH.contains(kind))
            .map(kind -> Arguments.of(tool, kind)));
  }

  @ParameterizedTest(name = "{1} after @GlobalPool, {0}")
  @MethodSource("kinds")
  void afterAGlobalPool(Tool tool, StageKind kind) {
    assertCompilesExactlyWhereTheRuntimeTakesIt(tool, kind, "@GlobalPool", Takes.FLAT);
  }

  @ParameterizedTest(name = "{1} after @Flatten, {0}")
  @MethodSource("kinds")
  void afterAFlatten(Tool tool, StageKind kind) {
    assertCompilesExactlyWhereTheRuntimeTakesIt(tool, kind, "@Flatten", Takes.FLAT);
  }

  @ParameterizedTest(name = "{1} on a feature map, {0}")
  @MethodSource("kinds")
  void onAFeatureMap(Tool tool, StageKind kind) {
    assertCompilesExactlyWhereTheRuntimeTakesIt(tool, kind, "@Activation(Act.RELU)",
        Takes.FEATURE_MAP);
  }

  /**
   * {@code conv(); before(); stage();} on an 8×8 image: compiles when the runtime takes
   * {@code before()}'s output ({@code yields}) for {@code kind}, else exactly one error, on line
   * 11, the stage's.
   */
  private void assertCompilesExactlyWhereTheRuntimeTakesIt(Tool tool, StageKind kind, String before,
      Takes yields) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(spec("""
        @Network(input = @Input(height = 8, width = 8))
        public interface OrderSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          %s Operand<TFloat32> before();
          %s Operand<TFloat32> stage();
        }
        """.formatted(before, KINDS.get(kind).annotation())));
    Compilation compilation = compiler.compile(file, compiler.source(SMALL),
        compiler.source(TINY_BLOCK));
    SpecCompiler.assertNoInternalError(compilation);
    Takes takes = KINDS.get(kind).takes();
    if (takes == Takes.EITHER || takes == yields) {
      assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
          .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    } else {
      assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
          .that(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
      assertThat(compilation).hadErrorContaining(yields == Takes.FLAT ? "already flat" : "feature map")
          .inFile(file).onLine(11);
      assertThat(compilation).hadErrorCount(1);
    }
  }

  // ---- the classifier on flat features, as users wrote it

  private static final String FLAT = "@Classifier global-pools a feature map [N, H, W, C], but its"
      + " input is already flat: ";

  @ParameterizedTest
  @EnumSource(Tool.class)
  void classifierAfterGlobalPool(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface HeadSpec {
          @Conv(channels = 512) Operand<TFloat32> conv();
          @GlobalPool Operand<TFloat32> pool();
          @Classifier(classes = 1000) Operand<TFloat32> fc();
        }
        """));
    Compilation compilation = compiler.compile(file);
    assertThat(compilation).hadErrorContaining(FLAT + "[N, 512], after a @GlobalPool, @Flatten,"
            + " @Dense or @Classifier; remove a @GlobalPool right before it (the classifier pools"
            + " itself), or classify the flat features with @Dense(units = 1000) in its place (the"
            + " classifier's linear layer with bias)")
        .inFile(file).onLine(11);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void classifierAfterFlattenAndDense(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(spec("""
        @Network(input = @Input(height = 7, width = 7))
        public interface HeadSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @Flatten Operand<TFloat32> flatten();
          @Dense(units = 512) Operand<TFloat32> fc1();
          @Classifier(classes = 10, dropout = 0.2) Operand<TFloat32> fc2();
        }
        """));
    Compilation compilation = compiler.compile(file);
    assertThat(compilation).hadErrorContaining(FLAT + "[N, 512], after a @GlobalPool, @Flatten,"
            + " @Dense or @Classifier; remove a @GlobalPool right before it (the classifier pools"
            + " itself), or classify the flat features with @Dropout(rate = 0.2) and"
            + " @Dense(units = 10) in its place (the classifier's dropout and linear layer with"
            + " bias)")
        .inFile(file).onLine(12);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void classifierAfterClassifier(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface HeadSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Classifier(classes = 100) Operand<TFloat32> fc1();
          @Classifier(classes = 10) Operand<TFloat32> fc2();
        }
        """));
    Compilation compilation = compiler.compile(file);
    assertThat(compilation).hadErrorContaining(FLAT + "[N, 100]").inFile(file).onLine(11);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void theFixesCompile(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    assertThat(compiler.compile(spec("""
        @Network(input = @Input(height = 7, width = 7))
        public interface FixesSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @Flatten Operand<TFloat32> flatten();
          @Dense(units = 512) Operand<TFloat32> fc1();
          @Dropout(rate = 0.2) Operand<TFloat32> drop();
          @Dense(units = 10) Operand<TFloat32> fc2();
        }
        """))).succeededWithoutWarnings();
    assertThat(compiler.compile(spec("""
        @Network
        public interface PooledSpec {
          @Conv(channels = 512) Operand<TFloat32> conv();
          @GlobalPool Operand<TFloat32> pool();
          @Dense(units = 1000) Operand<TFloat32> fc();
        }
        """))).succeededWithoutWarnings();
  }
}
