package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netspec.processor.testing.Specs.spec;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code @DualPath} (and {@code @SqueezeExcite} beside it) under javac and the Eclipse compiler:
 * DPN-92 as timm builds it compiles to exactly timm's parameter count, and bad arithmetic is an
 * error on the attribute at fault, naming the numbers.
 */
class DualPathSpecTest {
  @TempDir Path dir;

  private static final String DPN92 = spec("""
      @Network(name = "DPN92", epsilon = 1e-3, input = @Input(height = 224, width = 224))
      public interface DPN92Spec {
        @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1_1();
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
        @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32) Operand<TFloat32> conv2();
        @DualPath(blocks = 4, width = 512, inc = 32, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv3();
        @DualPath(blocks = 20, width = 1024, inc = 24, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv4();
        @DualPath(blocks = 3, width = 2048, inc = 128, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv5();
        @BatchNorm(act = Act.RELU) Operand<TFloat32> conv5_bn_ac();
        @Classifier(classes = 1000) Operand<TFloat32> classifier();
      }
      """);

  @ParameterizedTest
  @EnumSource(Tool.class)
  void dpn92HasTimmsCountsAndCallsTheRuntimeBlock(Tool tool) {
    Compilation compilation = new SpecCompiler(tool, dir).compile(DPN92);
    assertThat(compilation).succeeded();
    String source = SpecCompiler.generated(compilation, "t.DPN92");
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(37_668_392L);
    assertThat(SpecCompiler.longConstant(source, "MACS")).isEqualTo(6_501_684_224L);
    assertThat(SpecCompiler.longConstant(source, "CONV2_CHANNELS")).isEqualTo(336);
    assertThat(SpecCompiler.longConstant(source, "CONV4_CHANNELS")).isEqualTo(1552);
    assertThat(SpecCompiler.longConstant(source, "CONV5_CHANNELS")).isEqualTo(2688);
    assertThat(SpecCompiler.longConstant(source, "CONV5_STRIDE")).isEqualTo(32);
    // the first block projects and splits its input into the two paths; the others are alike
    assertThat(source).contains("Conv2Values conv2Values = conv2Block(scope.in(\"1\"), x);\n"
        + "    conv2Values = conv2Block2(scope.in(\"2\"), conv2Values);\n"
        + "    conv2Values = conv2Block2(scope.in(\"3\"), conv2Values);\n"
        + "    return conv2Values.concat();");
    assertThat(source).contains("scope.split(c1x1WS1Conv, 256, 32)");
    assertThat(source).contains(
        "scope.in(\"c1x1_w_s2\").in(\"conv\").conv(c1x1WS2Act, 1072, 1, 2, 0, 1, 1, false)");
    assertThat(source).contains("layers.withDefaults(Nonlinearity.RELU, 0.001f, FanMode.FAN_OUT)");
    // the shape table shows both paths' widths
    assertThat(source).containsMatch("conv2 +DualPath res 256 \\+ dense 80 +56x56x336");
    assertThat(source).contains("new StageInfo(\"conv5\", \"DualPath\", false, 7, 7, 2688, 32, false,"
        + " 14138176L, 866740224L, \"DualPath res 2048 + dense 640\"),");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void squeezeExciteBesideDualPath(Tool tool) {
    Compilation compilation = new SpecCompiler(tool, dir).compile(spec("""
        @Network(input = @Input(height = 16, width = 16))
        public interface SeSpec {
          @Conv(channels = 16) Operand<TFloat32> stem();
          @SqueezeExcite(reduction = 8, minChannels = 6)
          @DualPath(blocks = 2, width = 32, inc = 8, kR = 8, G = 4) Operand<TFloat32> dpn();
        }
        """));
    assertThat(compilation).succeeded();
    String source = SpecCompiler.generated(compilation, "t.Se");
    assertThat(source).contains("scope.in(\"se\").in(\"fc1\").conv(sePool, 6, 1, 1, 0, 1, 1, true)");
    assertThat(source).contains("scope.in(\"se\").gate(residualPart, seSigmoid)");
    // stem 3·3·3·16 + 32; stage: timm's 1,456 for one block plus a block on 56 channels
    // (BN 112 + 1×1 448 + BN 16 + 3×3 144 + BN 16 + 1×1 320 = 1,056); SE per block:
    // 32 -> max(32 / 8, 6) = 6 -> 32 with biases = 422
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS"))
        .isEqualTo(432 + 32 + 1456 + 1056 + 2 * 422);
  }

  /** timm's {@code dpn68}: small = True, so its k_R = 128 is R at width 64, not at 256. */
  private static final String DPN68 = spec("""
      @Network(name = "DPN68", epsilon = 1e-3, input = @Input(height = 224, width = 224))
      public interface DPN68Spec {
        @Conv(channels = 10, kernel = 3, stride = 2) Operand<TFloat32> conv1_1();
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
        @DualPath(blocks = 3, width = 64, inc = 16, kR = 128, G = 32) Operand<TFloat32> conv2();
        @DualPath(blocks = 4, width = 128, inc = 32, kR = 128, G = 32, stride = 2) Operand<TFloat32> conv3();
        @DualPath(blocks = 12, width = 256, inc = 32, kR = 128, G = 32, stride = 2) Operand<TFloat32> conv4();
        @DualPath(blocks = 3, width = 512, inc = 64, kR = 128, G = 32, stride = 2) Operand<TFloat32> conv5();
        @BatchNorm(act = Act.RELU) Operand<TFloat32> conv5_bn_ac();
        @Classifier(classes = 1000) Operand<TFloat32> classifier();
      }
      """);

  @ParameterizedTest
  @EnumSource(Tool.class)
  void dpn68TakesKRAsTheFirstStagesWidthAsTimmDoes(Tool tool) {
    Compilation compilation = new SpecCompiler(tool, dir).compile(DPN68);
    assertThat(compilation).succeeded();
    String source = SpecCompiler.generated(compilation, "t.DPN68");
    // timm: sum(p.numel() for p in dpn68().parameters()); R = 128 × width / 64 per stage
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(12_611_602L);
    assertThat(SpecCompiler.longConstant(source, "CONV5_CHANNELS")).isEqualTo(832);
    assertThat(source).contains(
        "scope.in(\"c3x3_b\").in(\"conv\").conv(c3x3BAct, 128, 3, 1, 1, 1, 32, false)");
    assertThat(source).contains(
        "scope.in(\"c3x3_b\").in(\"conv\").conv(c3x3BAct, 1024, 3, 2, 1, 1, 32, false)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void aUsedDpnKeepsItsOwnFirstWidth(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    Compilation compilation = compiler.compile(compiler.source(DPN68), compiler.source(spec("""
        @Network(name = "Trunk", input = @Input(height = 64, width = 64))
        public interface TrunkSpec {
          @Use(value = DPN68Spec.class, until = "conv3") Operand<TFloat32> trunk();
        }
        """)));
    assertThat(compilation).succeeded();
    String source = SpecCompiler.generated(compilation, "t.Trunk");
    // DPN-68's conv1_1 (290), conv2 (79,560) and conv3 (504,896, R = 128 × 128 / 64 = 256): the
    // used spec's first @DualPath is its conv2, whatever the using spec declares
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(584_746L);
  }

  // ---- errors, each on the attribute at fault

  private void assertErrors(Tool tool, String source, int[] lines, String... messages) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(source);
    Compilation compilation = compiler.compile(file);
    assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
        .that(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
    for (int i = 0; i < messages.length; i++) {
      assertThat(compilation).hadErrorContaining(messages[i]).inFile(file).onLine(lines[i]);
    }
    assertThat(compilation).hadErrorCount(messages.length);
    SpecCompiler.assertNoInternalError(compilation);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void kRTimesWidthNotAMultipleOfTheFirstWidth(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32) Operand<TFloat32> conv2();
          @DualPath(blocks = 3, width = 100, inc = 16,
              kR = 100, G = 4) Operand<TFloat32> conv3();
        }
        """), new int[] {12},
        "kR × width / firstWidth = 100 × 100 / 256 = 39.06 is not a whole number of channels for"
            + " the grouped 3×3 (R grows with the width from the first @DualPath stage's 256); with"
            + " width = 100 use a multiple of 64, such as kR = 128");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void groupsThatDoNotDivideR(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @DualPath(blocks = 3, width = 256, inc = 16, kR = 96,
              G = 36) Operand<TFloat32> conv2();
        }
        """), new int[] {11},
        "the grouped 3×3's R = kR × width / firstWidth = 96 × 256 / 256 = 96 channels cannot be split"
            + " into G = 36 groups; use a divisor of 96, such as G = 32");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void nonPositiveValues(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @DualPath(
              blocks = 0,
              width = 256,
              inc = -8,
              kR = 96,
              G = 0) Operand<TFloat32> conv2();
        }
        """), new int[] {11, 13, 15},
        "@DualPath(blocks = 0) must be at least 1",
        "@DualPath(inc = -8) must be at least 1",
        "@DualPath(G = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void strideOtherThanProjOrDown(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32,
              stride = 3) Operand<TFloat32> conv2();
        }
        """), new int[] {11},
        "@DualPath(stride = 3): the first block is 'proj' at stride 1 or 'down' at stride 2; use"
            + " stride = 1 or 2");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void afterAFlatteningStage(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @GlobalPool Operand<TFloat32> pool();
          @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32) Operand<TFloat32> conv2();
        }
        """), new int[] {11},
        "@DualPath needs a feature map [N, H, W, C], but its input is already flat (64 features,"
            + " after a @GlobalPool, @Flatten, @Dense or @Classifier); move it before the"
            + " flattening stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void squeezeExciteErrorsAreOnTheModifier(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @SqueezeExcite(
              reduction = 0)
          @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32) Operand<TFloat32> conv2();
        }
        """), new int[] {11},
        "@SqueezeExcite(reduction = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void otherModifiersBesideDualPathAreErrors(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @SelectiveKernel @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32)
          Operand<TFloat32> conv2();
        }
        """), new int[] {10},
        "@SelectiveKernel modifies the blocks of a @Residual stage, but conv2() is a @DualPath"
            + " stage; remove @SelectiveKernel from conv2()");
  }
}
