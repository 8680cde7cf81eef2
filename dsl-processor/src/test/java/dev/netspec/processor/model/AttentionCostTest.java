package dev.netspec.processor.model;

import static com.google.common.truth.Truth.assertThat;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Downsample;
import dev.netspec.annotations.Order;
import dev.netspec.processor.ir.Cost;
import dev.netspec.processor.ir.TensorShape;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Costs of the attention modifiers on small cases counted by hand, and timm's widths. */
class AttentionCostTest {
  private static ResidualStage residual(int planes, Block block, int stride,
      Optional<SqueezeExciteUnit> se, Optional<AttentionConv> conv) {
    return new ResidualStage(1, planes, block, stride, 1, 64, false, 0, Downsample.CONV, Act.RELU,
        se, conv);
  }

  @Test
  void squeezeExciteOnABasicBlock() {
    // the basic block of 304 parameters (StageCostTest) + fc1 4->2 with bias (10) + fc2 2->4
    // with bias (12); the gate's MACs are on the pooled 1x1 map: 8 + 8.
    ResidualStage stage = residual(4, Block.BASIC, 1,
        Optional.of(new SqueezeExciteUnit(2, 1)), Optional.empty());
    TensorShape in = TensorShape.image(4, 8, 8);
    assertThat(stage.check(in)).isEmpty();
    assertThat(stage.cost(in)).isEqualTo(new Cost(304 + 22, 288 * 64 + 16));
  }

  @Test
  void selectiveKernelInABottleneck() {
    // 4x4x8, planes 2: conv1 8->2 (16) + bn1 (4); two paths 3x3 2->2 in 2 groups (18) + bn (4);
    // attention max(4, 2/16 to a multiple of 32) = 4: fc_reduce 2->4 (8) + bn (8) + fc_select
    // 4->2x2 (16); conv3 2->8 (16) + bn3 (16) = 128.
    ResidualStage stage = residual(2, Block.BOTTLENECK, 1, Optional.empty(),
        Optional.of(new SelectiveKernel(2, 2, 16, 4)));
    TensorShape in = TensorShape.image(8, 4, 4);
    assertThat(stage.check(in)).isEmpty();
    assertThat(stage.cost(in)).isEqualTo(new Cost(128, 16 * 16 + 2 * 18 * 16 + 8 + 16 + 16 * 16));
  }

  @Test
  void splitAttentionConvolvesBeforeTheStridedAveragePool() {
    // 4x4x8 -> 2x2x8, planes 2: conv1 8->2 (16) + bn1 (4); split attention: conv 3x3 2->4 in 2
    // groups (36) at all 16 input positions, bn0 (8), attention max(32, 2x2/4) = 32: fc1 2->32
    // with bias (96) + bn1 (64) + fc2 32->4 with bias (132); conv3 2->8 (16) + bn3 (16) at 2x2;
    // projection 8->8 (64) + bn (16) at 2x2.
    ResidualStage stage = residual(2, Block.BOTTLENECK, 2, Optional.empty(),
        Optional.of(new SplitAttention(2, 1, 4)));
    TensorShape in = TensorShape.image(8, 4, 4);
    assertThat(stage.check(in)).isEmpty();
    assertThat(stage.output(in)).isEqualTo(new TensorShape(8, 2, 2, 2, false));
    assertThat(stage.cost(in)).isEqualTo(new Cost(16 + 4 + 36 + 8 + 96 + 64 + 132 + 16 + 16 + 64 + 16,
        16 * 16 + 36 * 16 + 64 + 128 + 16 * 4 + 64 * 4));
  }

  @Test
  void squeezeExciteOnEachDenseLayer() {
    // one layer without bottleneck on 4x4x4: bn (8) + conv 3x3 4->4 (144); its 4 new channels
    // gated by fc1 4->2 (10) and fc2 2->4 (12).
    DenseBlockStage stage = new DenseBlockStage(4, 1, 0, 0, Order.NORM_ACT_CONV, Act.RELU,
        Optional.of(new SqueezeExciteUnit(2, 1)));
    TensorShape in = TensorShape.image(4, 4, 4);
    assertThat(stage.cost(in)).isEqualTo(new Cost(8 + 144 + 22, 144 * 16 + 16));
  }

  @Test
  void attentionWidthsAreTimms() {
    SelectiveKernel sk = new SelectiveKernel(2, 32, 16, 32);
    assertThat(sk.attentionChannels(128)).isEqualTo(32);
    assertThat(sk.attentionChannels(1024)).isEqualTo(64);
    assertThat(sk.attentionChannels(1600)).isEqualTo(96);
    SplitAttention sa = new SplitAttention(2, 1, 4);
    assertThat(sa.attentionChannels(64)).isEqualTo(32);
    assertThat(sa.attentionChannels(512)).isEqualTo(256);
    assertThat(new SplitAttention(4, 2, 4).attentionChannels(40)).isEqualTo(40);
    assertThat(new SqueezeExciteUnit(16, 1).hidden(8)).isEqualTo(1);
  }

  @Test
  void modifierProblemsNameTheModifier() {
    ResidualStage stage = residual(16, Block.BOTTLENECK, 1, Optional.of(new SqueezeExciteUnit(0, 1)),
        Optional.of(new SplitAttention(2, 3, 4)));
    assertThat(stage.check(TensorShape.image(64, 8, 8))).containsExactly(
        Problem.onModifier("SqueezeExcite", "reduction",
            "@SqueezeExcite(reduction = 0) must be at least 1"),
        Problem.onModifier("SplitAttention", "cardinality", "@SplitAttention(cardinality = 3)"
            + " cannot split the 16 channels of the 3×3 convolution into 3 cardinal groups; try"
            + " cardinality = 2"));
  }
}
