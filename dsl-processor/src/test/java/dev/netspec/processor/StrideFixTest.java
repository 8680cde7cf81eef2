package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
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
 * The fix an {@code @Output(stride)} miss proposes names the stage to change in every family, as
 * for ResNets ({@link EncoderContractTest}): the last stage that downsamples by the missing factor
 * and that the spec can change, with the others of its kind. Each stage's stride comes from its
 * own shape arithmetic; a stride attribute is set to 1, a transition (whose 2×2 pool no attribute
 * changes) is replaced by the 1×1 convolution it is without the pool. Under javac and the Eclipse
 * compiler; specs start on line 7.
 */
class StrideFixTest {
  @TempDir Path dir;

  private static final String DPN92_ENCODER = """
      @Network(name = "DPN92Encoder", epsilon = 1e-3, input = @Input(height = 224, width = 224),
          output = @Output(channels = 2688, stride = 16))
      public interface DPN92EncoderSpec {
        @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1_1();
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> conv1_pool();
        @DualPath(blocks = 3, width = 256, inc = 16, kR = 96, G = 32) Operand<TFloat32> conv2();
        @DualPath(blocks = 4, width = 512, inc = 32, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv3();
        @DualPath(blocks = 20, width = 1024, inc = 24, kR = 96, G = 32, stride = 2) Operand<TFloat32> conv4();
        @DualPath(blocks = 3, width = 2048, inc = 128, kR = 96, G = 32, stride = %d) Operand<TFloat32> conv5();
        @BatchNorm(act = Act.RELU) Operand<TFloat32> conv5_bn_ac();
      }
      """;

  @ParameterizedTest
  @EnumSource(Tool.class)
  void dualPathNetworkIsToldToUnstrideItsLastDualPathStage(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(spec(DPN92_ENCODER.formatted(2)));
    Compilation compilation = compiler.compile(file);
    assertThat(compilation).hadErrorContaining("DPN92Encoder yields 2688 channels at stride 32;"
            + " @Output wants 2688 at stride 16: set stride = 1 on conv5 (or on conv3 or conv4)")
        .inFile(file).onLine(8);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void theUnstridedDualPathNetworkCompiles(Tool tool) {
    Compilation compilation = new SpecCompiler(tool, dir).compile(spec(DPN92_ENCODER.formatted(1)));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(SpecCompiler.longConstant(
        SpecCompiler.generated(compilation, "t.DPN92Encoder"), "OUTPUT_STRIDE")).isEqualTo(16);
  }

  private static final String DENSENET121_ENCODER = """
      @Network(name = "DenseNetEncoder", input = @Input(channels = 1),
          output = @Output(stride = 16))
      public interface DenseNetEncoderSpec {
        @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv0();
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> pool0();
        @DenseBlock(growth = 32, layers = 6) Operand<TFloat32> denseblock1();
        @Transition Operand<TFloat32> transition1();
        @DenseBlock(growth = 32, layers = 12) Operand<TFloat32> denseblock2();
        @Transition Operand<TFloat32> transition2();
        @DenseBlock(growth = 32, layers = 24) Operand<TFloat32> denseblock3();
        %s Operand<TFloat32> transition3();
        @DenseBlock(growth = 32, layers = 16) Operand<TFloat32> denseblock4();
      }
      """;

  @ParameterizedTest
  @EnumSource(Tool.class)
  void denseNetIsToldToReplaceItsLastTransition(Tool tool) {
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(spec(DENSENET121_ENCODER.formatted("@Transition")));
    Compilation compilation = compiler.compile(file);
    assertThat(compilation).hadErrorContaining("DenseNetEncoder yields 1024 channels at stride 32;"
            + " @Output wants stride 16: replace transition3 with @Conv(channels = 512, kernel = 1,"
            + " order = Order.NORM_ACT_CONV) (or likewise transition1 or transition2)")
        .inFile(file).onLine(8);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void theDenseNetWithTheReplacementCompiles(Tool tool) {
    Compilation compilation = new SpecCompiler(tool, dir).compile(spec(DENSENET121_ENCODER
        .formatted("@Conv(channels = 512, kernel = 1, order = Order.NORM_ACT_CONV)")));
    assertThat(compilation).succeededWithoutWarnings();
    String source = SpecCompiler.generated(compilation, "t.DenseNetEncoder");
    assertThat(SpecCompiler.longConstant(source, "OUTPUT_STRIDE")).isEqualTo(16);
    assertThat(SpecCompiler.longConstant(source, "OUTPUT_CHANNELS")).isEqualTo(1024);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void attentionResidualStagesAndAPoolTogether(Tool tool) {
    // stride 32 to 2: no one stage downsamples 16x; from the end, layer4 to layer2 and the pool
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(spec("""
        @Network(name = "Att", input = @Input(height = 64, width = 64),
            output = @Output(stride = 2))
        public interface AttSpec {
          @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
          @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
          @SplitAttention
          @Residual(blocks = 1, planes = 64) Operand<TFloat32> layer1();
          @SelectiveKernel
          @Residual(blocks = 1, planes = 128, stride = 2) Operand<TFloat32> layer2();
          @SqueezeExcite
          @Residual(blocks = 1, planes = 256, stride = 2) Operand<TFloat32> layer3();
          @SplitAttention
          @Residual(blocks = 1, planes = 512, stride = 2) Operand<TFloat32> layer4();
        }
        """));
    Compilation compilation = compiler.compile(file);
    assertThat(compilation).hadErrorContaining("Att yields 2048 channels at stride 32; @Output"
            + " wants stride 2: set stride = 1 on maxpool and layer2 and layer3 and layer4")
        .inFile(file).onLine(8);
    assertThat(compilation).hadErrorCount(1);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void aUsedSpecsStrideIsNotChangedHere(Tool tool) {
    // backbone() downsamples 2x like stem(), but @Use has no stride to set
    SpecCompiler compiler = new SpecCompiler(tool, dir);
    JavaFileObject file = compiler.source(spec("""
        @Network(name = "Uses", output = @Output(stride = 2))
        public interface UsesSpec {
          @Conv(channels = 3, stride = 2) Operand<TFloat32> stem();
          @Use(HalfSpec.class) Operand<TFloat32> backbone();
        }
        """));
    Compilation compilation = compiler.compile(file, compiler.source(spec("""
        @Network
        public interface HalfSpec {
          @Conv(channels = 8, stride = 2) Operand<TFloat32> conv();
        }
        """)));
    assertThat(compilation).hadErrorContaining("Uses yields 8 channels at stride 4; @Output wants"
            + " stride 2: set stride = 1 on stem")
        .inFile(file).onLine(7);
    assertThat(compilation).hadErrorCount(1);
  }
}
