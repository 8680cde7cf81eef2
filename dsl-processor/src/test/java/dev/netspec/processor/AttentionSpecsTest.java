package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.netspec.processor.testing.Specs.spec;

import com.google.testing.compile.Compilation;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Specs combining the attention modifiers with the stages they modify compile, and their
 * parameters and MACs are timm's. The expected figures were measured with timm (commit aa4b585,
 * 2026) on torch 1.13: {@code sum(p.numel() for p in model.parameters())}, and convolution and
 * linear MACs from forward hooks at 224×224.
 */
class AttentionSpecsTest {
  @TempDir Path dir;

  private static final String STEM = """
        @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
      """;

  private static final String DEEP_STEM = """
        @Conv(channels = 32, stride = 2) Operand<TFloat32> conv1_0();
        @Conv(channels = 32) Operand<TFloat32> conv1_1();
        @Conv(channels = 64) Operand<TFloat32> conv1_2();
        @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
      """;

  /** A ResNet-18/50-shaped spec whose four stages carry {@code modifiers} and {@code residual}. */
  private static String network(String name, String stem, String modifiers, String residual,
      int[] blocks) {
    StringBuilder body = new StringBuilder()
        .append("@Network(name = \"").append(name)
        .append("\", input = @Input(height = 224, width = 224))\n")
        .append("public interface ").append(name).append("Spec {\n").append(stem);
    for (int i = 0; i < 4; i++) {
      body.append("  ").append(modifiers).append(" @Residual(blocks = ").append(blocks[i])
          .append(", planes = ").append(64 << i).append(i > 0 ? ", stride = 2" : "")
          .append(residual.isEmpty() ? "" : ", " + residual).append(") Operand<TFloat32> layer")
          .append(i + 1).append("();\n");
    }
    return spec(body.append("  @Classifier(classes = 1000) Operand<TFloat32> fc();\n}\n").toString());
  }

  private String compile(Tool tool, String source, String generatedClass) {
    Compilation compilation = new SpecCompiler(tool, dir).compile(source);
    assertWithMessage("diagnostics:%s", SpecCompiler.describe(compilation))
        .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    return SpecCompiler.generated(compilation, "t." + generatedClass);
  }

  private void assertCost(String generated, long parameters, long macs) {
    assertThat(SpecCompiler.longConstant(generated, "PARAMETERS")).isEqualTo(parameters);
    assertThat(SpecCompiler.longConstant(generated, "MACS")).isEqualTo(macs);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void selectiveKernelOnBasicBlocks_timmsSkresnet18WithoutInputSplit(Tool tool) {
    // timm skresnet18 with sk_kwargs = dict(rd_ratio=1/16, rd_divisor=32, split_input=False)
    String generated = compile(tool, network("SK18", STEM, "@SelectiveKernel(groups = 1)",
        "block = Block.BASIC", new int[] {2, 2, 2, 2}), "SK18");
    assertCost(generated, 16_596_776L, 2_565_693_440L);
    // the second branch dilates by 2; the softmax is across the two branches
    assertThat(generated).contains(
        "scope.in(\"conv1\").in(\"paths\").in(\"1\").in(\"conv\").conv(x, 64, 3, 1, 2, 2, 1, false)");
    assertThat(generated).contains("radixSoftmax(conv1AttnFcSelect, 2, 1)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void selectiveKernelWithSqueezeExcite_timmsSkresnext50WithSe(Tool tool) {
    // timm skresnext50_32x4d with block_args attn_layer='se'
    String generated = compile(tool, network("SKSE50", STEM, "@SqueezeExcite @SelectiveKernel",
        "groups = 32, baseWidth = 4", new int[] {3, 4, 6, 3}), "SKSE50");
    assertCost(generated, 30_010_776L, 4_465_225_728L);
    assertThat(generated).contains(
        "scope.in(\"conv2\").in(\"paths\").in(\"0\").in(\"conv\").conv(act1, 128, 3, 1, 1, 1, 32, false)");
    assertThat(generated).contains("scope.in(\"se\").in(\"fc1\").conv(sePool, 16, 1, 1, 0, 1, 1, true)");
    assertThat(generated).contains("scope.in(\"se\").gate(bn3, seSigmoid)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void splitAttentionRadix4Cardinality2_timmsResnest50d4s2x40d(Tool tool) {
    // timm resnest50d_4s2x40d with avd_first=False (the pool after the split attention)
    String generated = compile(tool, network("S4x2", DEEP_STEM,
        "@SplitAttention(radix = 4, cardinality = 2)",
        "groups = 2, baseWidth = 40, downsample = Downsample.AVG_CONV", new int[] {3, 4, 6, 3}),
        "S4x2");
    assertCost(generated, 30_417_592L, 5_181_911_936L);
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void splitAttentionRadix1_timmsResnest50d1s4x24d(Tool tool) {
    // timm resnest50d_1s4x24d with avd_first=False: radix 1 gates with a sigmoid
    String generated = compile(tool, network("S1x4", DEEP_STEM,
        "@SplitAttention(radix = 1, cardinality = 4)",
        "groups = 4, baseWidth = 24, downsample = Downsample.AVG_CONV", new int[] {3, 4, 6, 3}),
        "S1x4");
    assertCost(generated, 25_677_000L, 4_985_080_320L);
    // radix 1 gates with a sigmoid
    assertThat(generated).contains("scope.in(\"conv2\").gate(conv2Relu0, conv2Sigmoid)");
  }

  @ParameterizedTest
  @EnumSource(Tool.class)
  void everyAllowedCombinationCompiles_atADynamicSize(Tool tool) {
    String generated = compile(tool, spec("""
        @Network(name = "All", input = @Input(channels = 3))
        public interface AllSpec {
          @Conv(channels = 32) Operand<TFloat32> stem();
          @SqueezeExcite(reduction = 8, minChannels = 4)
          @Residual(blocks = 1, planes = 32, block = Block.BASIC) Operand<TFloat32> basicSe();
          @SqueezeExcite @Residual(blocks = 1, planes = 16, preact = true) Operand<TFloat32> preactSe();
          @SelectiveKernel(branches = 3, groups = 8, minDim = 16)
          @Residual(blocks = 2, planes = 32, block = Block.BASIC, stride = 2) Operand<TFloat32> basicSk();
          @SqueezeExcite @SplitAttention(radix = 2, cardinality = 2)
          @Residual(blocks = 2, planes = 16, stride = 2, groups = 2) Operand<TFloat32> splitSe();
          @SqueezeExcite(reduction = 4) @DenseBlock(growth = 8, layers = 2) Operand<TFloat32> denseSe();
          @Classifier(classes = 10) Operand<TFloat32> head();
        }
        """), "All");
    assertThat(SpecCompiler.longConstant(generated, "MACS")).isEqualTo(-1L);
    // basicSe: 32 / 8 channels, at least 4
    assertThat(generated).contains("scope.in(\"se\").in(\"fc1\").conv(sePool, 4, 1, 1, 0, 1, 1, true)");
    assertThat(generated).contains("radixSoftmax(conv1AttnFcSelect, 3, 1)");
    // splitSe: the softmax within 2 cardinal groups, then the pool that carries the stride
    assertThat(generated).contains("radixSoftmax(conv2Fc2, 2, 2)");
    assertThat(generated).contains("scope.pool(conv2Select, Pooling.AVG, 3, 2, 1, false, true)");
    // denseSe: the gate scales each layer's new features before the concatenation
    assertThat(generated).contains("return features.concat(seScale);");
  }
}
