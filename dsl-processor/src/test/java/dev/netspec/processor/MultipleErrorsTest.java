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
 * One compile reports every independent error of a spec, each on its attribute's line, under
 * javac and the Eclipse compiler: errors of different stages, of one stage's attributes, of the
 * network's settings, names and methods together. A stage after an invalid one is checked for its
 * own settings only: the rules that need its input (which is unknown) report nothing, so there is
 * no follow-on error. Specs start on line 7; each attribute at fault is on a line of its own.
 */
class MultipleErrorsTest {
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

  @ParameterizedTest
  @EnumSource(Tool.class)
  void groupsOfOneStageAndBlocksOfALaterOne(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @Conv(channels = 60,
              groups = 5) Operand<TFloat32> conv2();
          @Residual(
              blocks = 0,
              planes = 16) Operand<TFloat32> layer1();
        }
        """), new int[] {11, 13},
        "64 input channels cannot be split into 5 groups: groups must divide both the input (64)"
            + " and output (60) channels; try groups = 4",
        "@Residual(blocks = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void afterAnInvalidStageOnlyEachStagesOwnSettingsAreChecked(Tool tool) {
    // With conv1's output unknown, down() is not told that 0 channels leave nothing to compress,
    // nor big() that its 9×9 window exceeds a 4×4 input; the dropout's own rate is wrong anyway.
    assertErrors(tool, spec("""
        @Network(input = @Input(height = 8, width = 8))
        public interface MSpec {
          @Conv(channels = 0) Operand<TFloat32> conv1();
          @Transition Operand<TFloat32> down();
          @Conv(channels = 8, kernel = 9, padding = 0) Operand<TFloat32> big();
          @Dropout(
              rate = 1.5) Operand<TFloat32> drop();
        }
        """), new int[] {9, 13},
        "@Conv(channels = 0) must be at least 1",
        "@Dropout(rate = 1.5) must be in [0, 1)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void independentAttributesOfOneStage(Tool tool) {
    // pool(): its window against its input and its stride; conv(), after it, its own settings:
    // the output channels that groups must divide, whatever the input
    assertErrors(tool, spec("""
        @Network(input = @Input(height = 4, width = 4))
        public interface MSpec {
          @Pool(kernel = 5,
              stride = 0) Operand<TFloat32> pool();
          @Conv(channels = 30,
              kernel = 0,
              groups = 4) Operand<TFloat32> conv();
        }
        """), new int[] {9, 10, 12, 13},
        "@Pool window of 5x5 is larger than its 4x4 input; use a kernel of at most 4 or move the"
            + " stage earlier",
        "@Pool(stride = 0) must be at least 1",
        "@Conv(kernel = 0) must be at least 1",
        "30 output channels cannot be split into 4 groups: groups must divide the output channels"
            + " (30); try groups = 3");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void networkSettingsNamesAndStages(Tool tool) {
    // the network's invalid epsilon is not reported again on the BatchNorm that takes it
    assertErrors(tool, spec("""
        @Network(name = "my-net",
            epsilon = -1e-5)
        public interface MSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @BatchNorm Operand<TFloat32> bn();
          @Dropout(rate = -0.5) Operand<TFloat32> drop();
          @Conv(channels = 8) Operand<TFloat32> fooBar();
          @Conv(channels = 8) Operand<TFloat32> foo_bar();
        }
        """), new int[] {7, 8, 12, 14},
        "@Network(name = \"my-net\") must be a Java class name, such as \"ResNet50\"",
        "@Network(epsilon = -1.0E-5) must be positive",
        "@Dropout(rate = -0.5) must be in [0, 1)",
        "stages fooBar() and foo_bar() would both generate FOO_BAR_CHANNELS; rename one of them");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void anInvalidInputLeavesEachStagesOwnSettings(Tool tool) {
    assertErrors(tool, spec("""
        @Network(input = @Input(channels = 0))
        public interface MSpec {
          @Conv(channels = 8,
              groups = 3) Operand<TFloat32> conv();
          @Classifier(
              classes = 0) Operand<TFloat32> fc();
        }
        """), new int[] {7, 10, 12},
        "@Input(channels = 0) must be at least 1",
        "8 output channels cannot be split into 3 groups: groups must divide the output channels"
            + " (8); try groups = 2",
        "@Classifier(classes = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void methodErrorsWithStageErrors(Tool tool) {
    // conv() returns the wrong type but is still a 8-channel conv for conv2()'s groups; after
    // plain(), which is no stage, conv3() has its own settings checked, and fc() on what might be
    // a feature map nothing
    assertErrors(tool, spec("""
        @Network(output = @Output(channels = 16))
        public interface MSpec {
          @Conv(channels = 8) String conv();
          @Conv(channels = 12,
              groups = 8) Operand<TFloat32> conv2();
          Operand<TFloat32> plain();
          @Conv(channels = 8,
              kernel = 0) Operand<TFloat32> conv3();
          @Dense(units = 10) Operand<TFloat32> fc();
        }
        """), new int[] {9, 11, 12, 14},
        "stage conv() returns java.lang.String; a stage returns Operand<TFloat32>",
        "12 output channels cannot be split into 8 groups: groups must divide both the input (8)"
            + " and output (12) channels; try groups = 4",
        "method plain() carries no stage annotation",
        "@Conv(kernel = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void aMethodThatIsNoStageLastLeavesTheOutputUnknown(Tool tool) {
    // @Output is not checked against conv(): plain() would come after it
    assertErrors(tool, spec("""
        @Network(output = @Output(channels = 10))
        public interface MSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          Operand<TFloat32> plain();
        }
        """), new int[] {10}, "method plain() carries no stage annotation");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void networkSettingsOfASpecWithoutAReadableStage(Tool tool) {
    assertErrors(tool, spec("""
        @Network(
            epsilon = 0)
        public interface MSpec {
          Operand<TFloat32> plain();
        }
        """), new int[] {8, 10},
        "@Network(epsilon = 0.0) must be positive",
        "method plain() carries no stage annotation");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void twoStageAnnotationsWithALaterError(Tool tool) {
    assertErrors(tool, spec("""
        @Network
        public interface MSpec {
          @Conv(channels = 8)
          @Pool Operand<TFloat32> both();
          @Pool(kernel = 3,
              padding = 2) Operand<TFloat32> pool();
        }
        """), new int[] {10, 12},
        "stage both() carries two stage annotations (@Conv and @Pool)",
        "@Pool(padding = 2) must be at most half the kernel (1 for kernel 3), as in PyTorch");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void contractsBesideOtherErrorsWhereTheShapesAreKnown(Tool tool) {
    // the name is wrong but every shape is known: @Output is checked too
    assertErrors(tool, spec("""
        @Network(name = "my-net",
            output = @Output(channels = 10))
        public interface MSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), new int[] {7, 8},
        "@Network(name = \"my-net\") must be a Java class name",
        "my-net yields 8 channels at stride 1; @Output wants 10 channels: add @Conv(channels = 10,"
            + " kernel = 1) as the last stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void contractsWaitForTheShapes(Tool tool) {
    // an invalid stage leaves the output unknown: neither contract is checked; @Expect neither
    // where the network's activation is invalid (a PReLU would add parameters)
    assertErrors(tool, spec("""
        @Network(activation = Act.DEFAULT,
            output = @Output(channels = 10))
        @Expect(parameters = 1)
        public interface MSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Conv(channels = 8,
              stride = 0) Operand<TFloat32> conv2();
        }
        """), new int[] {7, 13},
        "@Network(activation = Act.DEFAULT) names no activation; choose one, such as Act.RELU",
        "@Conv(stride = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void outputCheckedButNotExpectWhereTheActivationIsInvalid(Tool tool) {
    assertErrors(tool, spec("""
        @Network(activation = Act.DEFAULT,
            output = @Output(channels = 10))
        @Expect(parameters = 1)
        public interface MSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), new int[] {7, 8},
        "@Network(activation = Act.DEFAULT) names no activation",
        "M yields 8 channels at stride 1; @Output wants 10 channels");
  }
}
