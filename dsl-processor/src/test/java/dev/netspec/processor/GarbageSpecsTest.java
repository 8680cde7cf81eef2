package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.netspec.processor.testing.Specs.spec;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import java.util.Locale;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Specs the compiler itself rejects, or that are odd but legal: the processor never crashes, never
 * reports its internal error, adds no confusing message to the compiler's own, and generates
 * nothing from a broken spec.
 *
 * <p>Under {@code -proc:only} the Eclipse compiler reports only the processor's messages, not its
 * own errors in the spec; there the tests check that the processor stays silent and generates
 * nothing.
 */
class GarbageSpecsTest {
  @TempDir Path dir;

  private SpecCompiler compiler(Tool tool) {
    return new SpecCompiler(tool, dir);
  }

  /**
   * The spec is broken in a way the compiler reports: javac reports exactly its own
   * {@code javacErrors} (the first containing {@code firstJavacError} on {@code line}); the Eclipse
   * compiler reports nothing under -proc:only. Nothing is generated and no internal error occurs.
   */
  private void assertCompilerRejects(
      Tool tool, String source, int line, String firstJavacError, int javacErrors) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(source);
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    if (tool == Tool.JAVAC) {
      assertThat(compilation).failed();
      assertThat(compilation).hadErrorContaining(firstJavacError).inFile(file).onLine(line);
      assertThat(compilation).hadErrorCount(javacErrors);
    } else {
      assertThat(compilation).succeeded();
      assertThat(compilation.generatedSourceFiles()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void unresolvedConstantsInAttributes(Tool tool) {
    assertCompilerRejects(tool, spec("""
        @Network
        public interface USpec {
          @Conv(channels = UNDEFINED) Operand<TFloat32> conv();
          @Pool(kind = PoolKind.MEDIAN) Operand<TFloat32> pool();
        }
        """), 9, "cannot find symbol", 2);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void unresolvedValuesInNetworkAndInput(Tool tool) {
    assertCompilerRejects(tool, spec("""
        @Network(input = @Input(channels = Foo.BAR), activation = Act.GELU_TANH)
        public interface USpec {
          @Conv(channels = 8, norm = Nope.X) Operand<TFloat32> conv();
        }
        """), 7, "cannot find symbol", 4);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void missingRequiredAttributes(Tool tool) {
    assertCompilerRejects(tool, spec("""
        @Network
        public interface MSpec {
          @Conv Operand<TFloat32> conv();
          @Residual(planes = 4) Operand<TFloat32> res();
          @Use Operand<TFloat32> use();
          @Dense() Operand<TFloat32> dense();
        }
        """), 9, "is missing a default value for the element 'channels'", 4);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void valuesOfTheWrongType(Tool tool) {
    assertCompilerRejects(tool, spec("""
        @Network(epsilon = "small")
        public interface WSpec {
          @Conv(channels = "eight") Operand<TFloat32> conv();
          @Dropout(rate = true) Operand<TFloat32> drop();
          @Pool(kind = Act.RELU) Operand<TFloat32> pool();
        }
        """), 7, "incompatible types", 4);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void unresolvedReturnType(Tool tool) {
    assertCompilerRejects(tool, spec("""
        @Network
        public interface WSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Conv(channels = 8) Missing<TFloat32> conv2();
        }
        """), 10, "cannot find symbol", 1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void unresolvedParameterType(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface WSpec {
          @Conv(channels = 8) Operand<TFloat32> conv(Missing input);
        }
        """));
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("stage conv() takes 1 parameter(s)").inFile(file).onLine(9);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useOfAnUndefinedClass(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface USpec {
          @Use(Undefined.class) Operand<TFloat32> backbone();
        }
        """));
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("@Use needs a spec interface annotated @Network")
        .inFile(file).onLine(9);
    if (tool == Tool.JAVAC) {
      assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(file).onLine(9);
    }
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void useOfAPrimitiveClass(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface USpec {
          @Use(int.class) Operand<TFloat32> backbone();
        }
        """));
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("@Use needs a spec interface annotated @Network")
        .inFile(file).onLine(9);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void repeatedModifier(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface WSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @SqueezeExcite @SqueezeExcite @Residual(blocks = 1, planes = 2) Operand<TFloat32> res();
        }
        """));
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).failed();
    if (tool == Tool.JAVAC) {
      assertThat(compilation).hadErrorContaining("not a repeatable annotation").inFile(file).onLine(10);
    } else {
      // the Eclipse compiler under -proc:only leaves it to the processor
      assertThat(compilation).hadErrorContaining("stage res() carries @SqueezeExcite twice; a"
          + " modifier applies once: remove one").inFile(file).onLine(10);
    }
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stageAnnotationOnAField(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface WSpec {
          @Conv(channels = 8) int WIDTH = 3;
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """));
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    if (tool == Tool.JAVAC) {
      assertThat(compilation).hadErrorContaining("not applicable").inFile(file).onLine(9);
      assertThat(compilation).hadErrorCount(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void genericSpec(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface GSpec<T extends Number> {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """));
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("a spec cannot have type parameters; remove T")
        .inFile(file).onLine(7);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void recordAndAnnotationTypeSpecs(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject record = compiler.source(spec("""
        @Network
        public record RSpec(int x) {
        }
        """));
    JavaFileObject annotation = compiler.source(spec("""
        @Network
        public @interface ASpec {
        }
        """));
    Compilation compilation = compiler.compile(record, annotation);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("@Network marks an interface, but ASpec is an"
        + " annotation type; declare it as 'interface ASpec'").inFile(annotation).onLine(7);
    // The Eclipse compiler gives no position for an annotation on a record.
    if (tool == Tool.JAVAC) {
      assertThat(compilation).hadErrorContaining("@Network marks an interface, but RSpec is a"
          + " record; declare it as 'interface RSpec'").inFile(record).onLine(7);
    } else {
      assertThat(compilation).hadErrorContaining("@Network marks an interface, but RSpec is a"
          + " record; declare it as 'interface RSpec'");
    }
    assertThat(compilation).hadErrorCount(2);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void networkOnAMethod(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(spec("""
        public interface WSpec {
          @Network Operand<TFloat32> conv();
        }
        """));
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    if (tool == Tool.JAVAC) {
      assertThat(compilation).hadErrorContaining("not applicable").inFile(file).onLine(8);
      assertThat(compilation).hadErrorCount(1);
    } else {
      assertThat(compilation.generatedSourceFiles()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void absurdlyLargeValuesDoNotCrash(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    Compilation compilation = compiler.compile(spec("""
        @Network(input = @Input(height = 2000000000, width = 2000000000))
        public interface WSpec {
          @Conv(channels = 8, kernel = 2000000000, padding = 2000000000) Operand<TFloat32> conv();
          @Pool(kernel = 2000000000, stride = 2000000000) Operand<TFloat32> pool();
        }
        """));
    SpecCompiler.assertNoInternalError(compilation);
    compiler = compiler(tool);
    compilation = compiler.compile(spec("""
        @Network(name = "Huge", input = @Input(height = 100000, width = 100000))
        public interface HugeSpec {
          @Conv(channels = 2000000000) Operand<TFloat32> conv();
          @DenseBlock(growth = 2000000000, layers = 2) Operand<TFloat32> block();
          @Flatten Operand<TFloat32> flat();
          @Dense(units = 2000000000) Operand<TFloat32> fc();
        }
        """));
    SpecCompiler.assertNoInternalError(compilation);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void notANumber(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject file = compiler.source(spec("""
        @Network
        public interface WSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
          @Transition(compression = Double.NaN) Operand<TFloat32> transition();
          @Dropout(rate = Double.NaN) Operand<TFloat32> drop();
        }
        """));
    Compilation compilation = compiler.compile(file);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).hadErrorContaining("@Transition(compression = NaN) must be in (0, 1]")
        .inFile(file).onLine(10);
    assertThat(compilation).hadErrorContaining("@Dropout(rate = NaN) must be in [0, 1)")
        .inFile(file).onLine(11);
    assertThat(compilation).hadErrorCount(2);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void twoSpecsGeneratingTheSameClass(Tool tool) {
    SpecCompiler compiler = compiler(tool);
    JavaFileObject first = compiler.source(spec("""
        @Network(name = "Same")
        public interface ASpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """));
    JavaFileObject second = compiler.source(spec("""
        @Network(name = "Same")
        public interface BSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """));
    Compilation compilation = compiler.compile(first, second);
    SpecCompiler.assertNoInternalError(compilation);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("could not write Same");
    assertThat(compilation).hadErrorCount(1);
  }

  // ---- odd but legal

  @ParameterizedTest
  @EnumSource(Tool.class)
  void specNestedInAnEnum(Tool tool) {
    Compilation compilation = compiler(tool).compile(spec("""
        public enum Holder {
          A;

          @Network(input = @Input(channels = 1))
          public interface InnerSpec {
            @Conv(channels = 8) Operand<TFloat32> conv();
          }
        }
        """));
    assertThat(compilation).succeeded();
    String source = SpecCompiler.generated(compilation, "t.Inner");
    assertThat(source).contains("public final class Inner implements Holder.InnerSpec, NetworkGraph {");
    // 3x3 conv 1 -> 8 and its BatchNorm.
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(72 + 16);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void specsNestedInASpec(Tool tool) {
    Compilation compilation = compiler(tool).compile(spec("""
        @Network
        public interface OuterSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();

          @Network(name = "Inner")
          interface InnerSpec {
            @Conv(channels = 4) Operand<TFloat32> conv();
          }
        }
        """));
    assertThat(compilation).succeeded();
    assertThat(SpecCompiler.generated(compilation, "t.Outer")).contains("implements OuterSpec,");
    assertThat(SpecCompiler.generated(compilation, "t.Inner"))
        .contains("implements OuterSpec.InnerSpec,");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void specWithConstantsNestedTypesAndHelpers(Tool tool) {
    Compilation compilation = compiler(tool).compile(spec("""
        @Network(input = @Input(height = 32, width = 32))
        public interface WSpec {
          int WIDTH = 16;
          @Conv(channels = WIDTH) Operand<TFloat32> conv();
          @Pool(kernel = WIDTH / 8) Operand<TFloat32> pool();
          interface Helper {}
          default int twice(int x) {
            return 2 * x;
          }
          static String describe() {
            return "w";
          }
        }
        """));
    assertThat(compilation).succeeded();
    String source = SpecCompiler.generated(compilation, "t.W");
    assertThat(SpecCompiler.longConstant(source, "CONV_CHANNELS")).isEqualTo(16);
    assertThat(SpecCompiler.longConstant(source, "POOL_STRIDE")).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void specInTheDefaultPackage(Tool tool) {
    Compilation compilation = compiler(tool).compile("""
        import dev.netspec.annotations.*;
        import org.tensorflow.Operand;
        import org.tensorflow.types.TFloat32;

        @Network
        public interface DSpec {
          @Conv(channels = 8) Operand<TFloat32> conv();
        }
        """);
    assertThat(compilation).succeeded();
    assertThat(SpecCompiler.generated(compilation, "D")).contains("public final class D implements DSpec");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void stagesNamedLikeParametersOfTheGeneratedBuilder(Tool tool) {
    Compilation compilation = compiler(tool).compile(spec("""
        @Network
        public interface WSpec {
          @Conv(channels = 8) Operand<TFloat32> images();
          @Conv(channels = 8) Operand<TFloat32> last();
          @Conv(channels = 8) Operand<TFloat32> x();
          @Conv(channels = 8) Operand<TFloat32> mode();
        }
        """));
    assertThat(compilation).succeeded();
    String source = SpecCompiler.generated(compilation, "t.W");
    // Fields, not the parameters 'images' and 'last' of buildStages, receive the stages' outputs.
    assertThat(source).contains("this.images = buildImages(images);");
    assertThat(source).contains("this.last = buildLast(this.images);");
    assertThat(source).contains("if (last == 1) {\n      return this.last;\n    }");
    assertThat(source.toLowerCase(Locale.ROOT)).doesNotContain("\n    last = ");
  }
}
