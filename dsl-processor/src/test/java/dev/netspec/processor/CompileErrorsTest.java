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
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every compile error of the contract (DSL.md section 2) and of the processor's own checks: the
 * message with its numbers and fix, the file and the line, under javac and the Eclipse compiler.
 * Specs start on line 7 (after {@link dev.netspec.processor.testing.Specs#HEADER}).
 */
class CompileErrorsTest {
  @TempDir Path dir;

  /** Compiles {@code sources}; the first is the file the error must be in. */
  private Compilation compileFirst(Tool tool, JavaFileObject[] files, String... sources) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    for (int i = 0; i < sources.length; i++) {
      files[i] = compiler.source(sources[i]);
    }
    return compiler.compile(files);
  }

  /**
   * Asserts that compiling the sources fails with exactly {@code messages.length} errors, each
   * {@code messages[i]} (whole messages) on its {@code lines[i]} of the first source.
   */
  private void assertErrors(Tool tool, String[] sources, int[] lines, String... messages) {
    JavaFileObject[] files = new JavaFileObject[sources.length];
    Compilation compilation = compileFirst(tool, files, sources);
    assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
        .that(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
    for (int i = 0; i < messages.length; i++) {
      assertThat(compilation).hadErrorContaining(messages[i]).inFile(files[0]).onLine(lines[i]);
    }
    assertThat(compilation).hadErrorCount(messages.length);
    SpecCompiler.assertNoInternalError(compilation);
  }

  private void assertError(Tool tool, String source, int line, String message) {
    assertErrors(tool, new String[] {source}, new int[] {line}, message);
  }

  // ---- the contract's own example of a bad spec

  @ParameterizedTest
  @EnumSource(Tool.class)
  void groupsThatDoNotDivideTheChannels_contractGroupsSpec(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject groups = compiler.copy(
        Path.of("src/test/resources/contract/GroupsSpec.java"), "contract/GroupsSpec.java");
    Compilation compilation = compiler.compile(groups);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining("64 input channels cannot be split into 5 groups: groups must divide both"
            + " the input (64) and output (60) channels; try groups = 4")
        .inFile(groups).onLine(11);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void groupsThatDoNotDivideTheOutputChannels(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface GSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @Conv(channels = 30, groups = 4) Operand<TFloat32> conv2();
        }
        """), 10,
        "30 output channels cannot be split into 4 groups: groups must divide both the input (64)"
            + " and output (30) channels; try groups = 2");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void tooManyRepeatedBlocksAreAnErrorNotAGraphTooLargeToHold(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface DeepSpec {
          @Conv(channels = 16) Operand<TFloat32> stem();
          @DenseBlock(growth = 4, layers = 1000000) Operand<TFloat32> block();
        }
        """), 10,
        "@DenseBlock(layers = 1000000) repeats more than netspec builds in one stage (at most"
            + " 4096); split it into several stages or use fewer");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void errorOnAnAttributeIsReportedOnTheAttributesLine(Tool tool) {
    assertError(tool, spec("""
        @Network(
            name = "M",
            input = @Input(channels = 3, height = 32, width = 32))
        public interface MSpec {
          @Conv(channels = 64) Operand<TFloat32> conv1();
          @Conv(
              channels = 60,
              groups = 5)
          Operand<TFloat32> conv2();
        }
        """), 14,
        "64 input channels cannot be split into 5 groups: groups must divide both the input (64)"
            + " and output (60) channels; try groups = 4");
  }

  // ---- @Output

  private static final String RESNET50_LIKE_STAGES = """
        @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
        @Residual(blocks = 3, planes = 64) Operand<TFloat32> layer1();
        @Residual(blocks = 4, planes = 128, stride = 2) Operand<TFloat32> layer2();
        @Residual(blocks = 6, planes = 256, stride = 2) Operand<TFloat32> layer3();
        @Residual(blocks = 3, planes = 512, stride = 2) Operand<TFloat32> layer4();
      }
      """;

  @ParameterizedTest
  @EnumSource(Tool.class)
  void outputContractMissed_namesBothAndProposesTheStrideChangeAndA1x1Conv(Tool tool) {
    String source = spec("""
        @Network(name = "R50", input = @Input(channels = 3, height = 224, width = 224),
            output = @Output(channels = 684, stride = 16))
        public interface OutSpec {
        """ + RESNET50_LIKE_STAGES);
    assertError(tool, source, 8,
        "R50 yields 2048 channels at stride 32; @Output wants 684 at stride 16: set stride = 1 on"
            + " layer4");
    Compilation compilation = new SpecCompiler(tool, dir).compile(source);
    assertThat(SpecCompiler.errors(compilation).get(0))
        .endsWith(", then add @Conv(channels = 684, kernel = 1) as the last stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void outputContractMissed_channelsOnly(Tool tool) {
    assertError(tool, spec("""
        @Network(
            output = @Output(channels = 10))
        public interface OSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
        }
        """), 8,
        "O yields 64 channels at stride 1; @Output wants 10 channels: add @Conv(channels = 10,"
            + " kernel = 1) as the last stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void outputContractMissed_strideTooSmall(Tool tool) {
    assertError(tool, spec("""
        @Network(output = @Output(stride = 8))
        public interface OSpec {
          @Conv(channels = 64, stride = 2) Operand<TFloat32> conv();
        }
        """), 7,
        "O yields 64 channels at stride 2; @Output wants stride 8: downsample 4x more, e.g. add"
            + " @Pool(kernel = 4) or set a larger stride on a stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void outputContractMissed_strideOfAnEarlierStage(Tool tool) {
    assertError(tool, spec("""
        @Network(output = @Output(stride = 4))
        public interface OSpec {
          @Conv(channels = 64, stride = 2) Operand<TFloat32> conv();
          @Pool(kernel = 3, stride = 4) Operand<TFloat32> pool();
        }
        """), 7,
        "O yields 64 channels at stride 8; @Output wants stride 4: set stride = 1 on conv");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void outputContractMissed_flatOutput(Tool tool) {
    assertError(tool, spec("""
        @Network(output = @Output(channels = 12, stride = 8))
        public interface OSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Classifier(classes = 10) Operand<TFloat32> fc();
        }
        """), 7,
        "O yields 10 flat features; @Output wants 12 at stride 8: remove the flattening head (fc) to"
            + " keep a feature map, then end with @Dense(units = 12)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void outputContractWantsAFlatOutput(Tool tool) {
    assertError(tool, spec("""
        @Network(output = @Output(stride = 0))
        public interface OSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7,
        "O yields 8 channels at stride 1; @Output wants stride 0: end with @GlobalPool or"
            + " @Classifier to flatten the output");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void outputContractWithInvalidValues(Tool tool) {
    assertErrors(tool, new String[] {spec("""
        @Network(output = @Output(channels = -5, stride = -3))
        public interface OSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """)}, new int[] {7, 7},
        "@Output(channels = -5) must be at least 1, or -1 to leave the channels unchecked",
        "@Output(stride = -3) must be at least 1, 0 for a flat output, or -1 to leave the stride"
            + " unchecked");
  }

  // ---- @Use

  private static final String BACKBONE = spec("""
      @Network(input = @Input(channels = 3))
      public interface BackboneSpec {
        @Conv(channels = 32) Operand<TFloat32> conv1();
        @Conv(channels = 32) Operand<TFloat32> conv2();
      }
      """);

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useWithOtherInputChannels(Tool tool) {
    assertErrors(tool, new String[] {spec("""
        @Network
        public interface UseSpec {
          @Conv(channels = 16) Operand<TFloat32> stem();
          @Use(BackboneSpec.class) Operand<TFloat32> backbone();
        }
        """), BACKBONE}, new int[] {10},
        "BackboneSpec takes 3 input channels (its @Input), but this stage receives 16; add"
            + " @Conv(channels = 3, kernel = 1) before it, or change BackboneSpec's @Input(channels)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useOfANonSpec(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface UseSpec {
          @Use(String.class) Operand<TFloat32> backbone();
        }
        """), 9, "String is not a network spec; annotate it @Network");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useOfAnInterfaceWithoutNetwork(Tool tool) {
    assertErrors(tool, new String[] {spec("""
        @Network
        public interface UseSpec {
          @Use(Plain.class) Operand<TFloat32> backbone();
        }
        """), spec("""
        public interface Plain {
          Operand<TFloat32> conv();
        }
        """)}, new int[] {9}, "Plain is not a network spec; annotate it @Network");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useWithAnUnknownUntil_onTheUntilLine(Tool tool) {
    assertErrors(tool, new String[] {spec("""
        @Network
        public interface UseSpec {
          @Use(
              value = BackboneSpec.class,
              until = "conv9")
          Operand<TFloat32> backbone();
        }
        """), BACKBONE}, new int[] {11},
        "BackboneSpec has no stage 'conv9'; its stages are conv1, conv2");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useOfAnInvalidSpec(Tool tool) {
    JavaFileObject[] files = new JavaFileObject[2];
    Compilation compilation = compileFirst(tool, files, spec("""
        @Network
        public interface UseSpec {
          @Use(BadSpec.class) Operand<TFloat32> bad();
        }
        """), spec("""
        @Network
        public interface BadSpec {
          @Conv(channels = 8) String conv();
        }
        """));
    assertThat(compilation).hadErrorContaining("BadSpec is not a valid spec; fix its errors first")
        .inFile(files[0]).onLine(9);
    assertThat(compilation).hadErrorContaining("stage conv() returns java.lang.String")
        .inFile(files[1]).onLine(9);
    assertThat(compilation).hadErrorCount(2);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useOfASpecWhoseStageFailsAtThisInput(Tool tool) {
    JavaFileObject[] files = new JavaFileObject[2];
    Compilation compilation = compileFirst(tool, files, spec("""
        @Network(input = @Input(channels = 3, height = 8, width = 8))
        public interface UseSpec {
          @Conv(channels = 3, stride = 4) Operand<TFloat32> stem();
          @Use(SmallSpec.class) Operand<TFloat32> small();
        }
        """), spec("""
        @Network(input = @Input(channels = 3))
        public interface SmallSpec {
          @Conv(channels = 8, kernel = 5, padding = 0) Operand<TFloat32> conv();
        }
        """));
    assertThat(compilation).hadErrorContaining("in SmallSpec.conv() at this input (2x2x3): @Conv"
            + " window of 5x5 is larger than its 2x2 input; use a kernel of at most 2 or move the"
            + " stage earlier")
        .inFile(files[0]).onLine(10);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useCycleThroughAnotherSpec(Tool tool) {
    JavaFileObject[] files = new JavaFileObject[2];
    Compilation compilation = compileFirst(tool, files, spec("""
        @Network
        public interface ASpec {
          @Conv(channels = 3) Operand<TFloat32> conv();
          @Use(BSpec.class) Operand<TFloat32> b();
        }
        """), spec("""
        @Network
        public interface BSpec {
          @Conv(channels = 3) Operand<TFloat32> conv();
          @Use(ASpec.class) Operand<TFloat32> a();
        }
        """));
    assertThat(compilation).hadErrorContaining("in BSpec.a(): @Use(ASpec.class) makes a cycle:"
            + " t.ASpec → t.BSpec → t.ASpec; a spec cannot use itself, directly or through others:"
            + " remove one of these @Use stages")
        .inFile(files[0]).onLine(10);
    assertThat(compilation).hadErrorContaining("in ASpec.b(): @Use(BSpec.class) makes a cycle:"
            + " t.BSpec → t.ASpec → t.BSpec")
        .inFile(files[1]).onLine(10);
    assertThat(compilation).hadErrorCount(2);
    SpecCompiler.assertNoInternalError(compilation);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useOfItself(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface SelfSpec {
          @Conv(channels = 3) Operand<TFloat32> conv();
          @Use(SelfSpec.class) Operand<TFloat32> again();
        }
        """), 10, "@Use(SelfSpec.class) makes a cycle: t.SelfSpec → t.SelfSpec; a spec cannot"
        + " use itself, directly or through others: remove one of these @Use stages");
  }

  // ---- shape arithmetic

  @ParameterizedTest
  @EnumSource(Tool.class)
  void compressionThatLeavesNoChannels(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface CSpec {
          @Conv(channels = 3) Operand<TFloat32> conv();
          @Transition(compression = 0.2) Operand<TFloat32> transition();
        }
        """), 10,
        "compression 0.2 of 3 channels leaves 0 channels; use compression ≥ 0.3333 or set channels");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void bottleneckWidthThatLeavesNoChannels(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface RSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @Residual(blocks = 1, planes = 1, baseWidth = 32) Operand<TFloat32> layer1();
        }
        """), 10,
        "planes × baseWidth / 64 = 1 × 32 / 64 leaves 0 channels per group; use baseWidth ≥ 64");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void convKernelLargerThanAFixedFeatureMap(Tool tool) {
    assertError(tool, spec("""
        @Network(input = @Input(height = 32, width = 32))
        public interface KSpec {
          @Conv(channels = 8, stride = 8) Operand<TFloat32> conv();
          @Conv(channels = 8, kernel = 7, padding = 0) Operand<TFloat32> big();
        }
        """), 10,
        "@Conv window of 7x7 is larger than its 4x4 input; use a kernel of at most 4 or move the"
            + " stage earlier");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void poolKernelLargerThanAFixedFeatureMap(Tool tool) {
    assertError(tool, spec("""
        @Network(input = @Input(height = 8, width = 8))
        public interface KSpec {
          @Pool(kernel = 3, stride = 2) Operand<TFloat32> p1();
          @Pool(kernel = 3, stride = 2) Operand<TFloat32> p2();
          @Pool(kernel = 3, stride = 2) Operand<TFloat32> p3();
        }
        """), 11,
        "@Pool window of 3x3 is larger than its 1x1 input; use a kernel of at most 1 or move the"
            + " stage earlier");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void convAfterGlobalPool(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface HSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @GlobalPool Operand<TFloat32> gap();
          @Conv(channels = 8) Operand<TFloat32> conv2();
        }
        """), 11,
        "@Conv needs a feature map [N, H, W, C], but its input is already flat (8 features, after a"
            + " @GlobalPool, @Flatten, @Dense or @Classifier); move it before the flattening stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void poolAfterFlatten(Tool tool) {
    assertError(tool, spec("""
        @Network(input = @Input(height = 8, width = 8))
        public interface HSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Flatten Operand<TFloat32> flat();
          @Pool Operand<TFloat32> pool();
        }
        """), 11,
        "@Pool needs a feature map [N, H, W, C], but its input is already flat (512 features, after"
            + " a @GlobalPool, @Flatten, @Dense or @Classifier); move it before the flattening stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void residualAfterClassifier(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface HSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Classifier(classes = 10) Operand<TFloat32> fc();
          @Residual(blocks = 1, planes = 4) Operand<TFloat32> res();
        }
        """), 11,
        "@Residual needs a feature map [N, H, W, C], but its input is already flat (10 features,"
            + " after a @GlobalPool, @Flatten, @Dense or @Classifier); move it before the flattening"
            + " stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void denseBlockAfterDense(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface HSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @GlobalPool Operand<TFloat32> gap();
          @Dense(units = 20) Operand<TFloat32> fc();
          @DenseBlock(growth = 4, layers = 2) Operand<TFloat32> block();
        }
        """), 12,
        "@DenseBlock needs a feature map [N, H, W, C], but its input is already flat (20 features,"
            + " after a @GlobalPool, @Flatten, @Dense or @Classifier)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void denseOnAFeatureMap(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Dense(units = 10) Operand<TFloat32> fc();
        }
        """), 10,
        "@Dense needs flat features, but its input is a feature map ?x?x8; add @GlobalPool or"
            + " @Flatten before it");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void flattenOfADynamicSize(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface FSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Flatten Operand<TFloat32> flat();
        }
        """), 10,
        "@Flatten needs a fixed spatial size, but its input is ?x?x8; give @Input a height and"
            + " width, or use @GlobalPool");
  }

  // ---- methods and types that are no stage or no spec

  @ParameterizedTest
  @EnumSource(Tool.class)
  void methodsReturningSomethingElse(Tool tool) {
    String operand = "a stage returns Operand<TFloat32> (org.tensorflow.Operand,"
        + " org.tensorflow.types.TFloat32)";
    assertErrors(tool, new String[] {spec("""
        @Network
        public interface RSpec {
          @Conv(channels = 8) String conv();
          @Conv(channels = 8) Operand<String> conv2();
          @Conv(channels = 8) void conv3();
          @Conv(channels = 8) Operand conv4();
        }
        """)}, new int[] {9, 10, 11, 12},
        "stage conv() returns java.lang.String; " + operand,
        "stage conv2() returns org.tensorflow.Operand<java.lang.String>; " + operand,
        "stage conv3() returns void; " + operand,
        "stage conv4() returns org.tensorflow.Operand; " + operand);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void methodWithParameters(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface PSpec {
          @Conv(channels = 8) Operand<TFloat32> conv(Operand<TFloat32> input, int size);
        }
        """), 9,
        "stage conv() takes 2 parameter(s); a stage takes none: it consumes the previous stage's"
            + " output");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void methodWithTypeParameters(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface PSpec {
          @Conv(channels = 8) <T> Operand<TFloat32> conv();
        }
        """), 9, "stage conv() cannot have type parameters");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void methodWithoutStageAnnotation(Tool tool) {
    String source = spec("""
        @Network
        public interface NSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          Operand<TFloat32> plain();
        }
        """);
    assertError(tool, source, 10,
        "method plain() carries no stage annotation; annotate it with one of @Conv, @Pool,");
    // The fix lists every stage annotation there is.
    Compilation compilation = new SpecCompiler(tool, dir).compile(source);
    String message = SpecCompiler.errors(compilation).get(0);
    for (StageKind kind : StageKind.values()) {
      assertThat(message).contains(kind.label());
    }
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void methodWithTwoStageAnnotations_onTheSecond(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface TSpec {
          @Conv(channels = 8)
          @Pool
          Operand<TFloat32> conv();
        }
        """), 10,
        "stage conv() carries two stage annotations (@Conv and @Pool); a stage is one annotation:"
            + " split it into two methods");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void methodsNamedLikeNetworkGraphMethods(Tool tool) {
    String names = "(output, trainableVariables, updateOps, variables); rename it";
    assertErrors(tool, new String[] {spec("""
        @Network
        public interface OSpec {
          @Conv(channels = 8) Operand<TFloat32> output();
          @Conv(channels = 8) Operand<TFloat32> variables();
        }
        """)}, new int[] {9, 10},
        "stage output() is named like a method of NetworkGraph " + names,
        "stage variables() is named like a method of NetworkGraph " + names);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void specThatIsAClass(Tool tool) {
    assertError(tool, spec("""
        @Network
        public abstract class CSpec {
          @Conv(channels = 8) abstract Operand<TFloat32> conv();
        }
        """), 7, "@Network marks an interface, but CSpec is a class; declare it as 'interface CSpec'");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void specThatIsAnEnum(Tool tool) {
    assertError(tool, spec("""
        @Network
        public enum ESpec {
          A
        }
        """), 7, "@Network marks an interface, but ESpec is an enum; declare it as 'interface ESpec'");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void specThatExtendsAnInterface(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface GSpec extends Runnable {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7, "a spec cannot extend other interfaces (java.lang.Runnable); to reuse another"
        + " spec's stages, add a stage @Use(OtherSpec.class)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void privateSpec(Tool tool) {
    assertError(tool, spec("""
        public class Outer {
          @Network
          private interface PSpec {
            @Conv(channels = 8) Operand<TFloat32> conv();
          }
        }
        """), 8, "a spec cannot be private: the generated class implements it");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void defaultMethodWithAStageAnnotation(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Pool default Operand<TFloat32> pool() {
            return null;
          }
        }
        """), 10,
        "a stage must be an abstract method; remove the body (or the annotation) of pool()");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void staticMethodWithAStageAnnotation(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface DSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Conv(channels = 8) static Operand<TFloat32> helper() {
            return null;
          }
        }
        """), 10,
        "a stage must be an abstract method; remove the body (or the annotation) of helper()");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stageAnnotationOnAnInterfaceWithoutNetwork(Tool tool) {
    assertError(tool, spec("""
        public interface Plain {
          Operand<TFloat32> input();
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 9, "@Conv on Plain.conv(), but Plain is annotated neither @Network nor @BlockSpec; add @Network (a network) or @BlockSpec (a block) to it");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void emptySpec(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface ESpec {
        }
        """), 7, "a network needs at least one stage: declare an abstract method with a stage"
        + " annotation such as @Conv(channels = 64)");
  }

  // ---- attribute values

  @ParameterizedTest
  @EnumSource(Tool.class)
  void basicResidualWithGroups(Tool tool) {
    assertErrors(tool, new String[] {spec("""
        @Network
        public interface BSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @Residual(blocks = 2, planes = 64, block = Block.BASIC, groups = 32, baseWidth = 4)
          Operand<TFloat32> layer1();
        }
        """)}, new int[] {10, 10},
        "a BASIC block has no grouped convolution (groups = 32); use groups = 1, or block ="
            + " Block.BOTTLENECK for ResNeXt",
        "a BASIC block has no base width (baseWidth = 4); use baseWidth = 64, or block ="
            + " Block.BOTTLENECK for ResNeXt");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void averageDownsampleWithStrideThree(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface RSpec {
          @Conv(channels = 64) Operand<TFloat32> conv();
          @Residual(blocks = 1, planes = 16, downsample = Downsample.AVG_CONV, stride = 3)
          Operand<TFloat32> layer1();
        }
        """), 10, "Downsample.AVG_CONV pools 2×2, so its stride must be 1 or 2, not 3; use"
        + " Downsample.CONV");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void negativeChannels(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = -8) Operand<TFloat32> conv();
        }
        """), 9, "@Conv(channels = -8) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void strideZero(Tool tool) {
    assertErrors(tool, new String[] {spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8, stride = 0) Operand<TFloat32> conv();
          @Pool(stride = 0) Operand<TFloat32> pool();
        }
        """)}, new int[] {9, 10}, "@Conv(stride = 0) must be at least 1",
        "@Pool(stride = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void poolStrideZero(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Pool(stride = 0) Operand<TFloat32> pool();
        }
        """), 10, "@Pool(stride = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void dropoutRateAboveOne(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Dropout(rate = 1.5) Operand<TFloat32> drop();
        }
        """), 10, "@Dropout(rate = 1.5) must be in [0, 1)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void classifierDropoutOfOne(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Classifier(classes = 10, dropout = 1) Operand<TFloat32> fc();
        }
        """), 10, "@Classifier(dropout = 1.0) must be in [0, 1)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void batchNormEpsilonZero(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @BatchNorm(epsilon = 0) Operand<TFloat32> bn();
        }
        """), 10, "@BatchNorm(epsilon = 0.0) must be positive");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void networkEpsilonNegative(Tool tool) {
    assertError(tool, spec("""
        @Network(epsilon = -1e-5)
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7, "@Network(epsilon = -1.0E-5) must be positive");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void poolPaddingAboveHalfTheKernel(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Pool(kernel = 3, padding = 2) Operand<TFloat32> pool();
        }
        """), 10, "@Pool(padding = 2) must be at most half the kernel (1 for kernel 3), as in PyTorch");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void transitionCompressionAboveOne(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Transition(compression = 1.5) Operand<TFloat32> transition();
        }
        """), 10, "@Transition(compression = 1.5) must be in (0, 1]");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void inputWithNoChannels(Tool tool) {
    assertError(tool, spec("""
        @Network(input = @Input(channels = 0))
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7, "@Input(channels = 0) must be at least 1");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void inputWithOneSideFixedAndOneDynamic(Tool tool) {
    assertError(tool, spec("""
        @Network(input = @Input(height = 32))
        public interface ISpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7,
        "@Input has a fixed height but a dynamic width; make both fixed or both Input.DYNAMIC");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void networkActivationDefault(Tool tool) {
    assertError(tool, spec("""
        @Network(activation = Act.DEFAULT)
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7,
        "@Network(activation = Act.DEFAULT) names no activation; choose one, such as Act.RELU");
  }

  // ---- names

  @ParameterizedTest
  @EnumSource(Tool.class)
  void networkNameThatIsNoIdentifier(Tool tool) {
    assertError(tool, spec("""
        @Network(name = "my-net")
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7, "@Network(name = \"my-net\") must be a Java class name, such as \"ResNet50\"");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void networkNameThatIsAKeyword(Tool tool) {
    assertError(tool, spec("""
        @Network(name = "class")
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7, "@Network(name = \"class\") must be a Java class name, such as \"ResNet50\"");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void networkNameThatIsTheSpecsOwn(Tool tool) {
    assertError(tool, spec("""
        @Network(name = "VSpec")
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 7, "@Network(name = \"VSpec\") is the spec's own name; the generated class needs"
        + " another, such as \"VSpecGraph\"");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stageNamedInput(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> input();
        }
        """), 9, "stage input() would generate INPUT_CHANNELS, which names the network's input;"
        + " rename the stage");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stagesWhoseConstantsClash(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> fooBar();
          @Conv(channels = 8) Operand<TFloat32> foo_bar();
        }
        """), 10,
        "stages fooBar() and foo_bar() would both generate FOO_BAR_CHANNELS; rename one of them");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stageNamedLikeTheMethodThatBuildsAnother(Tool tool) {
    assertError(tool, spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Conv(channels = 8) Operand<TFloat32> buildConv();
        }
        """), 10, "stage buildConv() has the name of the method that builds stage conv(); rename it");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stagesNamedLikeFieldsOfTheGeneratedClass(Tool tool) {
    String clash = " that the generated class declares; rename the stage";
    assertErrors(tool, new String[] {spec("""
        @Network
        public interface VSpec {
          @Conv(channels = 8) Operand<TFloat32> layers();
          @Conv(channels = 8) Operand<TFloat32> STAGES();
          @Conv(channels = 8) Operand<TFloat32> PARAMETERS();
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Conv(channels = 8) Operand<TFloat32> CONV_STRIDE();
          @Conv(channels = 8) Operand<TFloat32> FEATURES();
          @Conv(channels = 8) Operand<TFloat32> MIN_INPUT_SIZE();
          @Conv(channels = 8) Operand<TFloat32> DESCRIPTOR();
        }
        """)}, new int[] {9, 10, 11, 13, 14, 15, 16},
        "stage layers() would clash with the field layers" + clash,
        "stage STAGES() would clash with the field STAGES" + clash,
        "stage PARAMETERS() would clash with the field PARAMETERS" + clash,
        "stage CONV_STRIDE() would clash with the field CONV_STRIDE" + clash,
        "stage FEATURES() would clash with the field FEATURES" + clash,
        "stage MIN_INPUT_SIZE() would clash with the field MIN_INPUT_SIZE" + clash,
        "stage DESCRIPTOR() would clash with the field DESCRIPTOR" + clash);
  }

  // ---- @Expect

  @ParameterizedTest
  @EnumSource(Tool.class)
  void expectationsMissed_namesBothNumbers(Tool tool) {
    // 3x3 conv 3 -> 8: 216 weights + 16 BatchNorm = 232 parameters; 216 x 32 x 32 = 221,184 MACs.
    assertErrors(tool, new String[] {spec("""
        @Network(input = @Input(height = 32, width = 32))
        @Expect(
            parameters = 100,
            macs = 200,
            maxParameters = 10,
            maxMacs = 20)
        public interface ESpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """)}, new int[] {9, 10, 11, 12},
        "E has 232 parameters; @Expect(parameters = 100) differs by +132",
        "E has 221,184 MACs; @Expect(macs = 200) differs by +220,984",
        "E has 232 parameters, 222 over the budget @Expect(maxParameters = 10)",
        "E has 221,184 MACs, 221,164 over the budget @Expect(maxMacs = 20)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void expectedParametersAboveTheCount(Tool tool) {
    assertError(tool, spec("""
        @Network
        @Expect(parameters = 1000)
        public interface ESpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 8, "E has 232 parameters; @Expect(parameters = 1,000) differs by -768");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void expectedMacsOfADynamicSize(Tool tool) {
    assertError(tool, spec("""
        @Network
        @Expect(maxMacs = 200)
        public interface ESpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """), 8, "E's multiply-accumulates depend on the image size, which is dynamic; give @Input a"
        + " height and width to check them");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void expectationsMet(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    Compilation compilation = compiler.compile(spec("""
        @Network(input = @Input(height = 32, width = 32))
        @Expect(parameters = 232, macs = 221184, maxParameters = 232, maxMacs = 221184)
        public interface ESpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """));
    assertThat(compilation).succeeded();
    assertThat(compilation).generatedSourceFile("t.E").isNotNull();
  }
}
