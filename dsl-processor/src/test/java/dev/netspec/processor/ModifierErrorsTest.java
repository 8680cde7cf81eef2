package dev.netspec.processor;

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
 * Every misuse of {@code @SqueezeExcite}, {@code @SelectiveKernel} and {@code @SplitAttention}:
 * the message with its numbers and fix, on the line of the modifier (its attribute where one is at
 * fault), under javac and the Eclipse compiler. Specs start on line 7.
 */
class ModifierErrorsTest {
  @TempDir Path dir;

  /** Asserts exactly {@code messages.length} errors, {@code messages[i]} on {@code lines[i]}. */
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

  private void assertError(Tool tool, String source, int line, String message) {
    assertErrors(tool, source, new int[] {line}, message);
  }

  // ---- where a modifier may stand

  @ParameterizedTest
  @EnumSource(Tool.class)
  void modifiersOnStagesTheyCannotModify_onTheModifiersLine(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface MSpec {
          @SelectiveKernel
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SqueezeExcite(reduction = 4)
          @Pool Operand<TFloat32> pool();
          @SplitAttention
          @DenseBlock(growth = 8, layers = 2) Operand<TFloat32> dense();
        }
        """), new int[] {9, 11, 13},
        "@SelectiveKernel modifies the blocks of a @Residual stage, but conv() is a @Conv stage;"
            + " remove @SelectiveKernel from conv()",
        "@SqueezeExcite modifies the blocks of a @Residual, @DenseBlock or @DualPath stage, but"
            + " pool() is a @Pool stage; remove @SqueezeExcite from pool()",
        "@SplitAttention modifies the blocks of a @Residual stage, but dense() is a @DenseBlock"
            + " stage; remove @SplitAttention from dense()");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void splitAttentionBesideSelectiveKernel(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SelectiveKernel(groups = 4)
          @SplitAttention
          @Residual(blocks = 1, planes = 16) Operand<TFloat32> layer1();
        }
        """), 11, "@SplitAttention and @SelectiveKernel both replace the 3×3 convolution of"
        + " layer1()'s blocks; keep one of them");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void selectiveKernelOnPreactivationBlocks(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SelectiveKernel(groups = 4)
          @Residual(blocks = 1, planes = 16, preact = true) Operand<TFloat32> layer1();
        }
        """), 10, "@SelectiveKernel replaces the 3×3 conv-BN-activation of a post-activation"
        + " block; pre-activation blocks (preact = true) have none: remove preact = true or"
        + " @SelectiveKernel");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void splitAttentionOnBasicBlocks(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention @Residual(blocks = 2, planes = 64, block = Block.BASIC)
          Operand<TFloat32> layer1();
        }
        """), 10, "@SplitAttention modifies bottleneck blocks, as ResNeSt's; use block ="
        + " Block.BOTTLENECK, or remove @SplitAttention");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void modifierOutsideASpec(Tool tool) {
    assertError(tool, spec("""
        public interface Plain {
          Operand<TFloat32> input();
          @SqueezeExcite Operand<TFloat32> gate();
        }
        """), 9, "@SqueezeExcite on Plain.gate(), but Plain is annotated neither @Network nor"
        + " @BlockSpec; add @Network (a network) or @BlockSpec (a block) to it");
  }

  // ---- @SqueezeExcite

  @ParameterizedTest
  @EnumSource(Tool.class)
  void squeezeWithoutAFloorOfOneChannel(Tool tool) {
    // minChannels ≥ 1 keeps every reduction from leaving the squeeze without channels
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SqueezeExcite(reduction = 32,
              minChannels = 0)
          @DenseBlock(growth = 8, layers = 2) Operand<TFloat32> dense();
        }
        """), 11, "@SqueezeExcite(minChannels = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void squeezeWithImpossibleSettings(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SqueezeExcite(reduction = 0,
              minChannels = -1)
          @Residual(blocks = 1, planes = 16) Operand<TFloat32> layer1();
        }
        """), new int[] {10, 11},
        "@SqueezeExcite(reduction = 0) must be at least 1",
        "@SqueezeExcite(minChannels = -1) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void squeezeReductionBeyondTheChannelsKeepsOneChannel(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    Compilation compilation = compiler.compile(spec("""
        @Network(name = "M", input = @Input(height = 8, width = 8))
        public interface MSpec {
          @Conv(channels = 16, kernel = 1, norm = Norm.NONE, act = Act.NONE) Operand<TFloat32> conv();
          @SqueezeExcite(reduction = 32)
          @Residual(blocks = 1, planes = 16, block = Block.BASIC) Operand<TFloat32> layer1();
        }
        """));
    assertThat(compilation).succeeded();
    // conv 1x1 3->16 = 48; block 2 x (3x3 16->16 = 2,304 + bn 32) = 4,672; gate 16->1->16
    // with bias: 17 + 32 = 49
    assertWithMessage("PARAMETERS").that(SpecCompiler.longConstant(
        SpecCompiler.generated(compilation, "t.M"), "PARAMETERS")).isEqualTo(48 + 4_672 + 49);
  }

  // ---- @SelectiveKernel

  @ParameterizedTest
  @EnumSource(Tool.class)
  void selectiveKernelGroupsThatDoNotDivideTheChannels(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SelectiveKernel(branches = 3,
              groups = 32)
          @Residual(blocks = 1, planes = 16) Operand<TFloat32> layer1();
        }
        """), 11, "@SelectiveKernel(groups = 32) cannot split the 16 input channels of its"
        + " branches into 32 groups: groups must divide both the input (16) and output (16)"
        + " channels; try groups = 16");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void selectiveKernelGroupsOfABasicBlocksFirstInput(Tool tool) {
    // the first block's SK unit takes the stem's 24 channels
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 24) Operand<TFloat32> conv();
          @SelectiveKernel(groups = 16)
          @Residual(blocks = 2, planes = 32, block = Block.BASIC) Operand<TFloat32> layer1();
        }
        """), 10, "@SelectiveKernel(groups = 16) cannot split the 24 input channels of its"
        + " branches into 16 groups: groups must divide both the input (24) and output (32)"
        + " channels; try groups = 8");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void selectiveKernelGroupsUnlikeTheResidualsGroups(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SelectiveKernel(groups = 16)
          @Residual(blocks = 1, planes = 64, groups = 32, baseWidth = 4) Operand<TFloat32> layer1();
        }
        """), 10, "@SelectiveKernel(groups = 16) differs from @Residual(groups = 32), whose"
        + " grouped 3×3 convolution its branches replace; set groups = 32, or leave"
        + " @Residual(groups) at 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void selectiveKernelWithImpossibleSettings(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SelectiveKernel(branches = 0,
              reduction = 0,
              minDim = 0)
          @Residual(blocks = 1, planes = 16) Operand<TFloat32> layer1();
        }
        """), new int[] {10, 11, 12, 10},
        "@SelectiveKernel(branches = 0) must be at least 1",
        "@SelectiveKernel(reduction = 0) must be at least 1",
        "@SelectiveKernel(minDim = 0) must be at least 1",
        // its default groups = 32, independent of the others, is reported with them
        "@SelectiveKernel(groups = 32) cannot split the 16 input channels of its branches into 32"
            + " groups");
  }

  // ---- @SplitAttention

  @ParameterizedTest
  @EnumSource(Tool.class)
  void radixBelowOne(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention(radix = 0) @Residual(blocks = 1, planes = 16) Operand<TFloat32> layer1();
        }
        """), 10, "@SplitAttention(radix = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void cardinalityThatDoesNotDivideTheWidth(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention(
              cardinality = 3)
          @Residual(blocks = 1, planes = 16) Operand<TFloat32> layer1();
        }
        """), 11, "@SplitAttention(cardinality = 3) cannot split the 16 channels of the 3×3"
        + " convolution into 3 cardinal groups; try cardinality = 2");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void radixThatDoesNotDivideACardinalGroup(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention(radix = 3,
              cardinality = 2)
          @Residual(blocks = 1, planes = 16) Operand<TFloat32> layer1();
        }
        """), 10, "@SplitAttention(radix = 3, cardinality = 2) needs radix × cardinality = 6"
        + " groups of the 16 channels of the 3×3 convolution, which they do not divide; try"
        + " radix = 2");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void cardinalityThatDoesNotDivideTheAttention(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention(cardinality = 3)
          @Residual(blocks = 1, planes = 48) Operand<TFloat32> layer1();
        }
        """), 10, "@SplitAttention(cardinality = 3) cannot split the 32 channels of the attention"
        + " (48 × 2 / 4, a multiple of 8, at least 32) into 3 cardinal groups; try"
        + " cardinality = 2");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void cardinalityUnlikeTheResidualsGroups_onTheModifierWhenItTookTheDefault(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention
          @Residual(blocks = 1, planes = 64, groups = 2) Operand<TFloat32> layer1();
        }
        """), 10, "@SplitAttention(cardinality = 1) differs from @Residual(groups = 2), whose"
        + " grouped 3×3 convolution it replaces; set cardinality = 2, or leave @Residual(groups)"
        + " at 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void splitAttentionWithImpossibleSettings(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention(cardinality = 0,
              reduction = -4)
          @Residual(blocks = 1, planes = 16) Operand<TFloat32> layer1();
        }
        """), new int[] {10, 11},
        "@SplitAttention(cardinality = 0) must be at least 1",
        "@SplitAttention(reduction = -4) must be at least 1");
  }

  // ---- the stage's errors and the modifier's together

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stageErrorsWithModifierErrors(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention(radix = 0)
          @Residual(blocks = 0, planes = 16) Operand<TFloat32> layer1();
        }
        """), new int[] {11, 10}, "@Residual(blocks = 0) must be at least 1",
        "@SplitAttention(radix = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void modifierRulesThatNeedAnInvalidWidthWait(Tool tool) {
    // cardinality = 3 against the 3×3's width needs planes: only the planes are reported
    assertError(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SplitAttention(cardinality = 3)
          @Residual(blocks = 1,
              planes = 0) Operand<TFloat32> layer1();
        }
        """), 12, "@Residual(planes = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void misplacedModifierWithErrorsOfTheStage(Tool tool) {
    // the stage is checked without the modifier that cannot apply to it
    assertErrors(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @SelectiveKernel
          @Conv(channels = 30,
              groups = 4) Operand<TFloat32> conv2();
        }
        """), new int[] {10, 12},
        "@SelectiveKernel modifies the blocks of a @Residual stage, but conv2() is a @Conv stage",
        "30 output channels cannot be split into 4 groups: groups must divide both the input (64)"
            + " and output (30) channels; try groups = 2");
  }
}
