package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PARAMETERS and MACS of the generated classes against torchvision's networks: parameters exactly
 * as {@code sum(p.numel() for p in model.parameters())}, MACs within 0.5% of the published
 * figures at 224x224.
 */
class TorchvisionCountsTest {
  @TempDir Path dir;

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of("ResNet18", Specs.resnet("ResNet18", false, 2, 2, 2, 2), 11_689_512L, 1.814e9),
        Arguments.of("ResNet34", Specs.resnet("ResNet34", false, 3, 4, 6, 3), 21_797_672L, 3.664e9),
        Arguments.of("ResNet50", Specs.resnet("ResNet50", true, 3, 4, 6, 3), 25_557_032L, 4.089e9),
        Arguments.of("ResNet101", Specs.resnet("ResNet101", true, 3, 4, 23, 3), 44_549_160L, 7.801e9),
        Arguments.of("ResNet152", Specs.resnet("ResNet152", true, 3, 8, 36, 3), 60_192_808L, 11.514e9),
        Arguments.of("DenseNet121", Specs.densenet("DenseNet121", 32, 64, 6, 12, 24, 16), 7_978_856L, 2.834e9),
        Arguments.of("DenseNet161", Specs.densenet("DenseNet161", 48, 96, 6, 12, 36, 24), 28_681_000L, 7.728e9),
        Arguments.of("DenseNet169", Specs.densenet("DenseNet169", 32, 64, 6, 12, 32, 32), 14_149_480L, 3.360e9),
        Arguments.of("DenseNet201", Specs.densenet("DenseNet201", 32, 64, 6, 12, 48, 32), 20_013_928L, 4.291e9));
  }

  private String generate(String spec, String className) {
    Compilation compilation = new SpecCompiler(Tool.JAVAC, dir).compile(spec);
    assertThat(compilation).succeededWithoutWarnings();
    return SpecCompiler.generated(compilation, "t." + className);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void parametersAndMacs(String name, String spec, long parameters, double macs) {
    String source = generate(spec, name);
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(parameters);
    assertThat((double) SpecCompiler.longConstant(source, "MACS")).isWithin(0.005 * macs).of(macs);
    assertThat(SpecCompiler.longConstant(source, "OUTPUT_CHANNELS")).isEqualTo(1000);
  }

  /**
   * DenseNet-BC (L = 100, k = 12) for CIFAR-10: a bare 3x3 stem of 2k = 24 channels (no BatchNorm,
   * no activation, no bias: the dense layers normalize their input), three dense blocks of 16
   * bottleneck layers, two transitions, the final BatchNorm-ReLU and the classifier.
   */
  static final String DENSENET_BC_100 = Specs.spec("""
      @Network(name = "DenseNetBC100", input = @Input(channels = 3, height = 32, width = 32))
      public interface DenseNetBC100Spec {
        @Conv(channels = 24, kernel = 3, norm = Norm.NONE, act = Act.NONE) Operand<TFloat32> conv0();
        @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock1();
        @Transition Operand<TFloat32> transition1();
        @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock2();
        @Transition Operand<TFloat32> transition2();
        @DenseBlock(growth = 12, layers = 16) Operand<TFloat32> denseblock3();
        @BatchNorm(act = Act.RELU) Operand<TFloat32> norm5();
        @Classifier(classes = 10) Operand<TFloat32> classifier();
      }
      """);

  @Test
  void densenetBc100ForCifar() {
    String source = generate(DENSENET_BC_100, "DenseNetBC100");
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(769_162L);
    assertThat((double) SpecCompiler.longConstant(source, "MACS")).isWithin(0.005 * 0.288e9).of(0.288e9);
    // 24 + 16 x 12 = 216 -> 108 -> 300 -> 150 -> 342 channels, 8x8 at stride 4.
    assertThat(SpecCompiler.longConstant(source, "TRANSITION1_CHANNELS")).isEqualTo(108);
    assertThat(SpecCompiler.longConstant(source, "TRANSITION2_CHANNELS")).isEqualTo(150);
    assertThat(SpecCompiler.longConstant(source, "DENSEBLOCK3_CHANNELS")).isEqualTo(342);
    assertThat(SpecCompiler.longConstant(source, "DENSEBLOCK3_STRIDE")).isEqualTo(4);
  }

  @Test
  void densenetBc100StemWithBatchNormOrBiasCountsMore() {
    // A BatchNorm after the stem adds 2 x 24 parameters; a bias adds 24: neither is DenseNet-BC.
    String withNorm = generate(DENSENET_BC_100.replace(", norm = Norm.NONE, act = Act.NONE", ""),
        "DenseNetBC100");
    assertThat(SpecCompiler.longConstant(withNorm, "PARAMETERS")).isEqualTo(769_162L + 48);
    String withBias = generate(DENSENET_BC_100.replace("act = Act.NONE)", "act = Act.NONE, bias = true)"),
        "DenseNetBC100");
    assertThat(SpecCompiler.longConstant(withBias, "PARAMETERS")).isEqualTo(769_162L + 24);
  }

  /** @Use of another spec up to one of its stages counts that spec's stages at this input. */
  @Test
  void useCountsTheUsedStagesAtThisInput() {
    SpecCompiler compiler = new SpecCompiler(Tool.JAVAC, dir);
    Compilation compilation = compiler.compile(
        compiler.source(Specs.spec("""
            @Network(input = @Input(height = 64, width = 64))
            public interface WSpec {
              @Use(value = BackSpec.class, until = "layer1") Operand<TFloat32> backbone();
              @Classifier(classes = 10) Operand<TFloat32> fc();
            }
            """)),
        compiler.source(Specs.spec("""
            @Network(activation = Act.SILU)
            public interface BackSpec {
              @Conv(channels = 16, stride = 2) Operand<TFloat32> stem();
              @Residual(blocks = 1, planes = 8, stride = 2) Operand<TFloat32> layer1();
              @Residual(blocks = 1, planes = 16, stride = 2) Operand<TFloat32> layer2();
            }
            """)));
    assertThat(compilation).succeededWithoutWarnings();
    String source = SpecCompiler.generated(compilation, "t.W");
    // stem: 3x3x3x16 + BN 32 = 464; layer1 (16 -> 8 -> 8 -> 32, projected): 128 + 16 + 576 + 16 +
    // 256 + 64 + 512 + 64 = 1,632; fc: 32 x 10 + 10 = 330.
    assertThat(SpecCompiler.longConstant(source, "PARAMETERS")).isEqualTo(464 + 1632 + 330);
    // stem at 32x32: 432 x 1024; layer1: 128 x 1024 + (576 + 256 + 512) x 256; fc: 320.
    assertThat(SpecCompiler.longConstant(source, "MACS"))
        .isEqualTo(432 * 1024 + 128 * 1024 + (576 + 256 + 512) * 256 + 320);
    assertThat(SpecCompiler.longConstant(source, "BACKBONE_CHANNELS")).isEqualTo(32);
    assertThat(SpecCompiler.longConstant(source, "BACKBONE_STRIDE")).isEqualTo(4);
    assertThat(source).contains("return Back.build(layers.in(\"backbone\"), x, \"layer1\").output();");
    assertThat(SpecCompiler.longConstant(SpecCompiler.generated(compilation, "t.Back"), "MACS"))
        .isEqualTo(-1);
  }
}
