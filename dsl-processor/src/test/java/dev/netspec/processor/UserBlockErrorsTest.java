package dev.netspec.processor;

import static com.google.common.truth.Truth.assertWithMessage;
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
 * Every error of a user-declared block, in the file at fault (the block's or the use's), on its
 * line, with its numbers and fix, under javac and the Eclipse compiler. Sources start on line 7.
 */
class UserBlockErrorsTest {
  @TempDir Path dir;

  static final String BLOCK = Specs.spec("""
      @BlockSpec(parameters = {"out", "stride = 1", "expand = 6"}, shortcut = Shortcut.ADD)
      public interface Inverted {
        @Conv(channels = Let.BOUND, kernel = 1)
        @Let(channels = "in * expand")
        Operand<TFloat32> expand();
        @Conv(channels = Let.BOUND, kernel = 1, act = Act.NONE)
        @Let(channels = "out", stride = "stride")
        Operand<TFloat32> project();
      }
      """);

  /** A spec using {@link #BLOCK} with this use on line 9. */
  static String use(String stack) {
    return Specs.spec("""
        @Network(input = @Input(channels = 3, height = 32, width = 32))
        public interface NetSpec {
          %s Operand<TFloat32> blocks();
        }
        """.formatted(stack));
  }

  /** Compiles the sources; asserts exactly the errors given as file index, line and message. */
  private void assertErrors(Tool tool, String[] sources, Object... expected) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject[] files = new JavaFileObject[sources.length];
    for (int i = 0; i < sources.length; i++) {
      files[i] = compiler.source(sources[i]);
    }
    Compilation compilation = compiler.compile(files);
    assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
        .that(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
    for (int i = 0; i < expected.length; i += 3) {
      assertThat(compilation).hadErrorContaining((String) expected[i + 2])
          .inFile(files[(Integer) expected[i]]).onLine((Integer) expected[i + 1]);
    }
    assertThat(compilation).hadErrorCount(expected.length / 3);
    SpecCompiler.assertNoInternalError(compilation);
  }

  // ---- in the block's file

  @ParameterizedTest
  @EnumSource(Tool.class)
  void misspelledNameInLet_didYouMean(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec(parameters = {"out", "expand = 6"})
        public interface B {
          @Conv(channels = Let.BOUND, kernel = 1)
          @Let(channels = "in * expnad")
          Operand<TFloat32> expand();
        }
        """)}, 0, 10, "@Let(channels = \"in * expnad\"): 'expnad' is neither a parameter of the"
        + " block nor 'in'; did you mean 'expand'?");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void malformedExpressions_everyOneInOneCompile(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec(parameters = {"out", "width = out"})
        public interface B {
          @Conv(channels = Let.BOUND, kernel = 1)
          @Let(channels = "in * (out + 1")
          Operand<TFloat32> a();
          @Conv(channels = Let.BOUND, kernel = 1)
          @Let(channels = "out * * 2")
          Operand<TFloat32> b();
        }
        """)},
        0, 7, "the default of 'width' (\"width = out\") must be a number",
        0, 10, "@Let(channels): expected ')' at column 14 of \"in * (out + 1\"",
        0, 13, "@Let(channels): unexpected '*' at column 7 of \"out * * 2\"");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void letOnAnAttributeItsStageHasNot_andBoundWithoutLet_andSetTwice(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec(parameters = "out")
        public interface B {
          @BatchNorm @Let(kernel = "3")
          Operand<TFloat32> norm();
          @Conv(channels = Let.BOUND, kernel = 1)
          Operand<TFloat32> conv();
          @Conv(channels = 8, kernel = 1) @Let(channels = "out")
          Operand<TFloat32> twice();
        }
        """)},
        0, 9, "@Let(kernel) sets nothing on a @BatchNorm stage; @Let sets channels, kernel,"
            + " stride, padding, groups, dilation of a @Conv, kernel, stride, padding of a @Pool"
            + " and channels of a @SqueezeExcite",
        0, 11, "@Conv(channels = Let.BOUND) takes its value from a @Let; add @Let(channels ="
            + " \"<expression>\") to conv()",
        0, 13, "channels is set twice: @Conv(channels = 8) and @Let(channels = \"out\"); write"
            + " channels = Let.BOUND in @Conv or remove it from @Let");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void blockThatStacksItself(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec
        public interface Loop {
          @Stack(block = Loop.class) Operand<TFloat32> again();
        }
        """)}, 0, 9, "@Stack(block = Loop.class) makes a cycle: t.Loop → t.Loop");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void letInANetworkSpec(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @Network
        public interface NetSpec {
          @Conv(channels = 8) @Let(channels = "in * 2") Operand<TFloat32> conv();
        }
        """)}, 0, 9, "@Let sets attributes from the parameters of a @BlockSpec; a network spec has"
        + " none: write the value in @Conv itself");
  }

  // ---- at the use

  @ParameterizedTest
  @EnumSource(Tool.class)
  void misspelledParameterAtTheUse_didYouMean(Tool tool) {
    assertErrors(tool, new String[] {BLOCK, use(
        "@Stack(block = Inverted.class, with = {\"out = 3\", \"expnd = 4\"})")},
        1, 9, "Inverted has no parameter 'expnd'; did you mean 'expand'?");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void missingParameter(Tool tool) {
    assertErrors(tool, new String[] {BLOCK, use(
        "@Stack(block = Inverted.class, with = \"expand = 4\")")},
        1, 9, "Inverted's parameter 'out' has no default; add \"out = <value>\" to with");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void valuesOfTheUseThatBreakAStage(Tool tool) {
    assertErrors(tool, new String[] {BLOCK, use(
        "@Stack(block = Inverted.class, with = {\"out = 3\", \"expand = 0\"})")},
        1, 9, "in Inverted (out = 3, stride = 1, expand = 0, in = 3), expand() at"
            + " its input 32x32x3: @Conv(channels = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void addWhoseShapesDifferAtThisUse(Tool tool) {
    assertErrors(tool, new String[] {BLOCK, use(
        "@Stack(block = Inverted.class, repeat = 2, with = \"out = 3\", first = \"stride = 2\")")},
        1, 9, "Shortcut.ADD adds the input (32x32x3) to the output (16x16x3), which differ; keep"
            + " the stride at 1 and the channels at in, or declare the block with"
            + " Shortcut.ADD_WHEN_SHAPES_MATCH or Shortcut.ADD_OR_PROJECT");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void notABlock(Tool tool) {
    assertErrors(tool, new String[] {use("@Stack(block = String.class)")},
        0, 9, "String is not a block; annotate it @BlockSpec");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void malformedBindingAtTheUse(Tool tool) {
    assertErrors(tool, new String[] {BLOCK, use(
        "@Stack(block = Inverted.class, with = \"out = 3 +\")")},
        1, 9, "@Stack(with): in \"out = 3 +\": \" 3 +\" ends where a value is expected");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void depthwiseWithGroups(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @Network(input = @Input(channels = 8, height = 32, width = 32))
        public interface NetSpec {
          @Conv(channels = 16, depthwise = true, groups = 2) Operand<TFloat32> a();
        }
        """)},
        0, 9, "@Conv(depthwise = true) sets the groups to the input channels; remove groups = 2");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void depthwiseChannelsNoMultipleOfTheInput(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @Network(input = @Input(channels = 8, height = 32, width = 32))
        public interface NetSpec {
          @Conv(channels = 12, depthwise = true) Operand<TFloat32> b();
        }
        """)},
        0, 9, "a depthwise convolution makes a whole number of channels per input channel: 12"
            + " is no multiple of its 8 input channels; try channels = 8");
  }
  // ---- the primitives of modern blocks

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stochasticDepthWithoutAnAdd_andNotLast(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec(parameters = "out")
        public interface Plain {
          @Conv(channels = Let.BOUND, kernel = 1) @Let(channels = "out")
          Operand<TFloat32> conv();
          @StochasticDepth(rate = 0.1) Operand<TFloat32> drop();
        }
        """), Specs.spec("""
        @BlockSpec(shortcut = Shortcut.ADD)
        public interface Early {
          @StochasticDepth(rate = 0.1) Operand<TFloat32> drop();
          @LayerScale Operand<TFloat32> scale();
        }
        """)},
        0, 11, "@StochasticDepth drops the residual branch of a block whose shortcut adds, but"
            + " Plain has Shortcut.NONE; declare it with Shortcut.ADD, ADD_WHEN_SHAPES_MATCH or"
            + " ADD_OR_PROJECT, or remove drop()",
        1, 9, "@StochasticDepth drops the whole residual branch, so it is the block's last stage,"
            + " but drop() is followed by scale(); move drop() to the end of Early");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void squeezeExciteStage_anActivationAsGate_letOnAnAttributeItHasNot_stageAttributesOnAModifier(
      Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec(shortcut = Shortcut.ADD)
        public interface Gated {
          @SqueezeExcite(channels = Let.BOUND, gate = Act.RELU) @Let(channels = "in / 4")
          Operand<TFloat32> se();
        }
        """), Specs.spec("""
        @BlockSpec
        public interface Kernelled {
          @SqueezeExcite @Let(kernel = "3") Operand<TFloat32> se();
        }
        """), Specs.spec("""
        @Network(input = @Input(channels = 16, height = 32, width = 32))
        public interface NetSpec {
          @Stack(block = Gated.class) Operand<TFloat32> blocks();
          @Residual(blocks = 1, planes = 8) @SqueezeExcite(act = Act.SILU) Operand<TFloat32> res();
        }
        """)},
        1, 9, "@Let(kernel) sets nothing on a @SqueezeExcite stage; @Let sets channels, kernel,",
        2, 9, "@SqueezeExcite(gate = Act.RELU) is no gate: a gate scales each channel by a factor"
            + " in [0, 1]; use Act.SIGMOID (EfficientNet) or Act.HARDSIGMOID (MobileNetV3)",
        2, 10, "@SqueezeExcite(act) sets a @SqueezeExcite stage; beside @Residual the gate is"
            + " timm's (ReLU, sigmoid, max(C / reduction, minChannels) channels): remove act, or"
            + " declare a block with a @SqueezeExcite stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void blockSettings_inTheBlocksFile_layerScaleAfterFlattening(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec(shortcut = Shortcut.ADD)
        public interface Normed {
          @LayerNorm(epsilon = 0) Operand<TFloat32> norm();
        }
        """), Specs.spec("""
        @BlockSpec(shortcut = Shortcut.ADD)
        public interface Dropped {
          @StochasticDepth(rate = 1) Operand<TFloat32> drop();
        }
        """), Specs.spec("""
        @Network(input = @Input(channels = 3, height = 32, width = 32))
        public interface NetSpec {
          @Stack(block = Normed.class) Operand<TFloat32> normed();
        }
        """), Specs.spec("""
        @Network(input = @Input(channels = 3, height = 32, width = 32))
        public interface DropSpec {
          @Stack(block = Dropped.class) Operand<TFloat32> dropped();
        }
        """), Specs.spec("""
        @Network(input = @Input(channels = 3, height = 32, width = 32))
        public interface FlatSpec {
          @GlobalPool Operand<TFloat32> pool();
          @LayerScale Operand<TFloat32> scale();
        }
        """)},
        0, 9, "@LayerNorm(epsilon = 0.0) must be in (0, 1); ConvNeXt uses 1e-6, the default",
        1, 9, "@StochasticDepth(rate = 1.0) must be in [0, 1)",
        4, 10, "@LayerScale needs a feature map [N, H, W, C], but its input is already flat");
  }

  // ---- values of one use, at the use

  @ParameterizedTest
  @EnumSource(Tool.class)
  void groupsThatDoNotDivideTheChannelsOfThisUse(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec(parameters = "out")
        public interface Grouped {
          @Conv(channels = Let.BOUND, kernel = 1, groups = 4) @Let(channels = "out")
          Operand<TFloat32> conv();
        }
        """), Specs.spec("""
        @Network(input = @Input(channels = 8, height = 32, width = 32))
        public interface NetSpec {
          @Stack(block = Grouped.class, with = "out = 16") Operand<TFloat32> fine();
          @Stack(block = Grouped.class, with = "out = 6") Operand<TFloat32> broken();
        }
        """)},
        1, 10, "in Grouped (out = 6, in = 16), conv() at its input 32x32x16: 6 output channels"
            + " cannot be split into 4 groups: groups must divide both the input (16) and output"
            + " (6) channels; try groups = 2");
  }

  /** A width a {@code @Let} computes is a count: -1 is no "from reduction" there. */
  @ParameterizedTest
  @EnumSource(Tool.class)
  void squeezeExciteWidthThatALetComputesAsMinusOne(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec
        public interface Gate {
          @SqueezeExcite(channels = Let.BOUND) @Let(channels = "in - 4")
          Operand<TFloat32> se();
        }
        """), use("@Stack(block = Gate.class)")},
        1, 9, "in Gate (in = 3), se() at its input 32x32x3: @Let(channels) gives the squeeze -1"
            + " channels; it needs at"
            + " least 1: change the expression, or leave channels out of @SqueezeExcite and @Let"
            + " for max(C / reduction, minChannels)");
  }

  // ---- parallel branches

  static final String CONV_PATH = Specs.spec("""
      @BlockSpec(parameters = {"out", "dilation = 1"})
      public interface ConvPath {
        @Conv(channels = Let.BOUND) @Let(channels = "out", dilation = "dilation")
        Operand<TFloat32> conv();
      }
      """);

  @ParameterizedTest
  @EnumSource(Tool.class)
  void branchesThatDisagreeAtThisUse(Tool tool) {
    assertErrors(tool, new String[] {CONV_PATH, Specs.spec("""
        @BlockSpec(parameters = "width")
        public interface Mixed {
          @Branches({
              @Branch(block = ConvPath.class, with = "out = width"),
              @Branch(block = ConvPath.class, with = "out = in")})
          Operand<TFloat32> mixed();
        }
        """), use("@Stack(block = Mixed.class, with = \"width = 8\")")},
        2, 9, "in Mixed (width = 8, in = 3), mixed() at its input 32x32x3: path 1 (ConvPath)"
            + " yields 32x32x3, but path 0 (ConvPath) yields 32x32x8; Join.ADD adds paths of one"
            + " shape: give this path 8 output channels, as path 0, or join with Join.CONCAT");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void branchesInTheBlocksFile_typos_onePath_attentionSettingsWithoutAttention(Tool tool) {
    assertErrors(tool, new String[] {CONV_PATH, Specs.spec("""
        @BlockSpec(parameters = "width")
        public interface Typos {
          @Branches(value = {
              @Branch(block = ConvPath.class, with = "out = width"),
              @Branch(block = ConvPath.class, with = {"out = width", "dilaton = 2"})},
              reduction = 8)
          Operand<TFloat32> mixed();
          @Branches(@Branch(block = ConvPath.class, with = "out = widht"))
          Operand<TFloat32> single();
        }
        """)},
        1, 11, "ConvPath has no parameter 'dilaton'; did you mean 'dilation'?",
        1, 12, "@Branches(reduction) sizes the attention of Join.SELECT, but the paths are joined"
            + " by Join.ADD; remove reduction, or join with Join.SELECT",
        1, 14, "@Branches runs two or more paths side by side, but has 1; add a @Branch, or use"
            + " the block as @Stack(block = ConvPath.class)",
        1, 14, "'widht' in \"out = ...\" is no value here: a use's expressions know width, in;"
            + " did you mean 'width'?");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void branchesInANetwork_errorOnTheBranchAtFault(Tool tool) {
    assertErrors(tool, new String[] {CONV_PATH, Specs.spec("""
        @Network(input = @Input(channels = 3, height = 32, width = 32))
        public interface NetSpec {
          @Branches(value = {
              @Branch(block = ConvPath.class, with = "out = 8"),
              @Branch(block = String.class),
              @Branch(block = ConvPath.class, with = "out = 16")},
              join = Join.SELECT)
          Operand<TFloat32> mixed();
        }
        """), Specs.spec("""
        @Network(input = @Input(channels = 3, height = 32, width = 32))
        public interface OtherSpec {
          @Branches(value = {
              @Branch(block = ConvPath.class, with = "out = 8"),
              @Branch(block = ConvPath.class, with = "out = 16")},
              join = Join.SELECT)
          Operand<TFloat32> mixed();
        }
        """)},
        1, 11, "String is not a block; annotate it @BlockSpec",
        2, 11, "path 1 (ConvPath) yields 32x32x16, but path 0 (ConvPath) yields 32x32x8;"
            + " Join.SELECT weighs and adds paths of one shape: give this path 8 output channels,"
            + " as path 0, or join with Join.CONCAT");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void branchesOfDifferentStrides(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec(parameters = {"out", "stride = 1"})
        public interface Strided {
          @Conv(channels = Let.BOUND) @Let(channels = "out", stride = "stride")
          Operand<TFloat32> conv();
        }
        """), Specs.spec("""
        @Network(input = @Input(channels = 3, height = 32, width = 32))
        public interface NetSpec {
          @Conv(channels = 8, stride = 2) Operand<TFloat32> stem();
          @Branches(value = {
              @Branch(block = Strided.class, with = {"out = 8", "stride = 2"}),
              @Branch(block = Strided.class, with = "out = 8")},
              join = Join.CONCAT)
          Operand<TFloat32> mixed();
        }
        """)},
        1, 12, "path 1 (Strided) yields 16x16x8, but path 0 (Strided) yields 8x8x8; Join.CONCAT"
            + " concatenates maps of one size along the channels: set this path's stride to 2,"
            + " as path 0's");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void branchesThatLeadBackToTheirBlock(Tool tool) {
    assertErrors(tool, new String[] {Specs.spec("""
        @BlockSpec
        public interface Loop {
          @Branches({@Branch(block = Loop.class), @Branch(block = Loop.class)})
          Operand<TFloat32> again();
        }
        """)},
        0, 9, "@Branch(block = Loop.class) makes a cycle: t.Loop → t.Loop",
        0, 9, "@Branch(block = Loop.class) makes a cycle: t.Loop → t.Loop");
  }
}
