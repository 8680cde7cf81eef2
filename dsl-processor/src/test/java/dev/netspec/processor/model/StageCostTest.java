package dev.netspec.processor.model;

import static com.google.common.truth.Truth.assertThat;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Downsample;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.Cost;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Shapes and costs of the block stages on small cases counted by hand. */
class StageCostTest {
  private static ResidualStage residual(int blocks, int planes, Block block, int stride) {
    return new ResidualStage(blocks, planes, block, stride, 1, 64, false, 0, Downsample.CONV, Act.RELU);
  }

  // ---- ResidualStage

  @Test
  void basicBlockWithoutProjection() {
    // 8x8x4 -> 8x8x4: conv1 3x3 4->4 (144) + bn1 (8) + conv2 3x3 4->4 (144) + bn2 (8).
    ResidualStage stage = residual(1, 4, Block.BASIC, 1);
    TensorShape in = TensorShape.image(4, 8, 8);
    assertThat(stage.check(in)).isEmpty();
    assertThat(stage.output(in)).isEqualTo(new TensorShape(4, 1, 8, 8, false));
    assertThat(stage.cost(in)).isEqualTo(new Cost(304, (144 + 144) * 64));
  }

  @Test
  void basicBlockWithStrideAndProjection() {
    // 8x8x2 -> 4x4x4: conv1 3x3 2->4 (72) + bn (8) + conv2 3x3 4->4 (144) + bn (8)
    // + projection 1x1 2->4 (8) + its bn (8); every conv runs at 4x4 = 16 positions.
    ResidualStage stage = residual(1, 4, Block.BASIC, 2);
    TensorShape in = TensorShape.image(2, 8, 8);
    assertThat(stage.output(in)).isEqualTo(new TensorShape(4, 2, 4, 4, false));
    assertThat(stage.cost(in)).isEqualTo(new Cost(248, (72 + 144 + 8) * 16));
  }

  @Test
  void twoBasicBlocksProjectOnlyInTheFirst() {
    // First block as above (248, 3,584 MACs), second 4->4 at 4x4: 144 + 8 + 144 + 8 = 304.
    ResidualStage stage = residual(2, 4, Block.BASIC, 2);
    TensorShape in = TensorShape.image(2, 8, 8);
    assertThat(stage.cost(in)).isEqualTo(new Cost(248 + 304, (72 + 144 + 8) * 16 + 288 * 16));
  }

  @Test
  void bottleneckBlocksWithoutProjection() {
    // 4x4x8, planes 2 -> 8 channels: 1x1 8->2 (16) + bn (4) + 3x3 2->2 (36) + bn (4)
    // + 1x1 2->8 (16) + bn (16) = 92 per block.
    ResidualStage stage = residual(2, 2, Block.BOTTLENECK, 1);
    TensorShape in = TensorShape.image(8, 4, 4);
    assertThat(stage.output(in).channels()).isEqualTo(8);
    assertThat(stage.cost(in)).isEqualTo(new Cost(2 * 92, 2 * (16 + 36 + 16) * 16));
  }

  @Test
  void bottleneckWithStrideCarriesItOnThe3x3() {
    // 8x8x4 -> 4x4x8, planes 2: 1x1 4->2 (8) at 8x8, 3x3 2->2 (36) at 4x4, 1x1 2->8 (16) at 4x4,
    // projection 1x1 4->8 (32) at 4x4; BatchNorms 4 + 4 + 16 + 16.
    ResidualStage stage = residual(1, 2, Block.BOTTLENECK, 2);
    TensorShape in = TensorShape.image(4, 8, 8);
    assertThat(stage.output(in)).isEqualTo(new TensorShape(8, 2, 4, 4, false));
    assertThat(stage.cost(in))
        .isEqualTo(new Cost(8 + 36 + 16 + 32 + 40, 8 * 64 + (36 + 16 + 32) * 16));
  }

  @Test
  void resnextGroupsAndBaseWidth() {
    // planes 4, groups 2, base width 32: width = int(4 x 32 / 64) x 2 = 4. 2x2x16 -> 2x2x16:
    // 1x1 16->4 (64) + bn 8 + grouped 3x3 4->4 (9 x 2 x 4 = 72) + bn 8 + 1x1 4->16 (64) + bn 32.
    ResidualStage stage =
        new ResidualStage(1, 4, Block.BOTTLENECK, 1, 2, 32, false, 0, Downsample.CONV, Act.RELU);
    assertThat(stage.width()).isEqualTo(4);
    TensorShape in = TensorShape.image(16, 2, 2);
    assertThat(stage.cost(in)).isEqualTo(new Cost(248, (64 + 72 + 64) * 4));
  }

  @Test
  void preactivationBasicBlockHasABareProjection() {
    // BN(2) before conv1, BN(4) before conv2, projection 1x1 2->4 without BatchNorm.
    ResidualStage stage =
        new ResidualStage(1, 4, Block.BASIC, 2, 1, 64, true, 0, Downsample.CONV, Act.RELU);
    TensorShape in = TensorShape.image(2, 8, 8);
    assertThat(stage.cost(in)).isEqualTo(new Cost(4 + 72 + 8 + 144 + 8, (72 + 144 + 8) * 16));
  }

  @Test
  void preluAddsOneSlopePerChannelOfEachActivation() {
    // As the basic block without projection (304), plus PReLU after bn1 and after the add.
    ResidualStage stage =
        new ResidualStage(1, 4, Block.BASIC, 1, 1, 64, false, 0, Downsample.CONV, Act.PRELU);
    assertThat(stage.cost(TensorShape.image(4, 8, 8)).parameters()).isEqualTo(304 + 4 + 4);
  }

  @Test
  void residualOfADynamicSizeHasDynamicMacs() {
    Cost cost = residual(1, 4, Block.BASIC, 2).cost(TensorShape.image(2, -1, -1));
    assertThat(cost).isEqualTo(new Cost(248, -1));
  }

  @Test
  void residualRules() {
    assertThat(residual(1, 4, Block.BASIC, 1).check(TensorShape.flat(10)).get(0).message())
        .contains("needs a feature map");
    assertThat(residual(0, 4, Block.BASIC, 1).check(TensorShape.image(4, 8, 8)))
        .containsExactly(Problem.on("blocks", "@Residual(blocks = 0) must be at least 1"));
  }

  // ---- DenseBlockStage

  @Test
  void denseBlockWithBottleneck() {
    // growth 2, 2 layers, bn_size 4 (8 channels), from 3 channels at 4x4:
    // layer 0: BN(3) 6 + 1x1 3->8 24 + BN(8) 16 + 3x3 8->2 144 = 190;
    // layer 1: BN(5) 10 + 1x1 5->8 40 + BN(8) 16 + 3x3 8->2 144 = 210.
    DenseBlockStage stage = new DenseBlockStage(2, 2, 4, 0, Order.NORM_ACT_CONV, Act.RELU);
    TensorShape in = TensorShape.image(3, 4, 4);
    assertThat(stage.output(in)).isEqualTo(new TensorShape(7, 1, 4, 4, false));
    assertThat(stage.cost(in)).isEqualTo(new Cost(190 + 210, (24 + 144 + 40 + 144) * 16));
  }

  @Test
  void denseBlockWithoutBottleneck() {
    // layer 0: BN(3) 6 + 3x3 3->2 54; layer 1: BN(5) 10 + 3x3 5->2 90.
    DenseBlockStage stage = new DenseBlockStage(2, 2, 0, 0, Order.NORM_ACT_CONV, Act.RELU);
    assertThat(stage.cost(TensorShape.image(3, 4, 4))).isEqualTo(new Cost(60 + 100, (54 + 90) * 16));
  }

  @Test
  void denseBlockInConvNormActOrderNormalizesTheOutputs() {
    // layer 0: 1x1 3->8 24 + BN(8) 16 + 3x3 8->2 144 + BN(2) 4; layer 1: 40 + 16 + 144 + 4.
    DenseBlockStage stage = new DenseBlockStage(2, 2, 4, 0, Order.CONV_NORM_ACT, Act.RELU);
    assertThat(stage.cost(TensorShape.image(3, 4, 4)).parameters()).isEqualTo(188 + 204);
  }

  // ---- TransitionStage

  @Test
  void transitionHalvesChannelsAndSize() {
    // 4x4x10 -> 2x2x5: BN(10) 20 + 1x1 10->5 50, the conv at 4x4 (before the pool).
    TransitionStage stage =
        new TransitionStage(0.5, -1, PoolKind.AVG, false, 0, Order.NORM_ACT_CONV, Act.RELU);
    TensorShape in = new TensorShape(10, 4, 4, 4, false);
    assertThat(stage.check(in)).isEmpty();
    assertThat(stage.output(in)).isEqualTo(new TensorShape(5, 8, 2, 2, false));
    assertThat(stage.cost(in)).isEqualTo(new Cost(70, 50 * 16));
  }

  @Test
  void transitionChannelsAsPyTorchTruncates() {
    TransitionStage stage =
        new TransitionStage(0.7, -1, PoolKind.AVG, false, 0, Order.NORM_ACT_CONV, Act.RELU);
    assertThat(stage.outputChannels(10)).isEqualTo(7);
    assertThat(stage.outputChannels(3)).isEqualTo(2);
    TransitionStage fixed =
        new TransitionStage(0.5, 4, PoolKind.AVG, false, 0, Order.NORM_ACT_CONV, Act.RELU);
    assertThat(fixed.outputChannels(10)).isEqualTo(4);
  }

  @Test
  void transitionInCeilMode() {
    TransitionStage floor =
        new TransitionStage(0.5, -1, PoolKind.AVG, false, 0, Order.NORM_ACT_CONV, Act.RELU);
    TransitionStage ceil =
        new TransitionStage(0.5, -1, PoolKind.AVG, true, 0, Order.NORM_ACT_CONV, Act.RELU);
    TensorShape in = TensorShape.image(8, 5, 5);
    assertThat(floor.output(in).height()).isEqualTo(2);
    assertThat(ceil.output(in).height()).isEqualTo(3);
  }

  @Test
  void transitionInConvNormActOrderNormalizesItsOutput() {
    TransitionStage stage =
        new TransitionStage(0.5, -1, PoolKind.AVG, false, 0, Order.CONV_NORM_ACT, Act.RELU);
    assertThat(stage.cost(TensorShape.image(10, 4, 4)).parameters()).isEqualTo(50 + 10);
  }

  @Test
  void transitionThatLeavesNoChannels() {
    TransitionStage stage =
        new TransitionStage(0.2, -1, PoolKind.AVG, false, 0, Order.NORM_ACT_CONV, Act.RELU);
    List<Problem> problems = stage.check(TensorShape.image(3, 8, 8));
    assertThat(problems).containsExactly(Problem.on("compression",
        "compression 0.2 of 3 channels leaves 0 channels; use compression ≥ 0.3333 or set channels"));
  }

  // ---- the walk through a network

  @Test
  void walkPlacesTheStagesBeforeTheFirstFailureAndChecksOnlyTheSettingsOfTheRest() {
    ConvStage conv = new ConvStage(64, 3, 1, 1, 1, 1, false, true, Act.RELU, Order.CONV_NORM_ACT);
    ConvStage grouped = new ConvStage(60, 3, 1, 1, 1, 5, false, true, Act.RELU, Order.CONV_NORM_ACT);
    // too large for the 32x32 input: a rule of the input, not checked after a failure
    ConvStage big = new ConvStage(8, 40, 1, 0, 1, 1, false, true, Act.RELU, Order.CONV_NORM_ACT);
    DropoutStage drop = new DropoutStage(2);
    Walk walk = Walk.of(List.of(new NamedStage("a", conv), new NamedStage("b", grouped),
        new NamedStage("c", conv), new NamedStage("d", big), new NamedStage("e", drop)),
        TensorShape.image(3, 32, 32));
    assertThat(walk.ok()).isFalse();
    assertThat(walk.failedStage()).isEqualTo(1);
    assertThat(walk.stages()).hasSize(1);
    assertThat(walk.problems().get(0).attribute()).isEqualTo("groups");
    assertThat(walk.failures().stream().map(Walk.Failure::index).toList()).containsExactly(1, 4);
    assertThat(walk.failures().get(1).problems()).containsExactly(
        Problem.on("rate", "@Dropout(rate = 2.0) must be in [0, 1)"));
  }

  @Test
  void walkFromAnUnknownInputOrPastAMissingStageChecksSettingsOnly() {
    ConvStage big = new ConvStage(8, 40, 1, 0, 1, 1, false, true, Act.RELU, Order.CONV_NORM_ACT);
    ConvStage grouped = new ConvStage(30, 3, 1, 1, 1, 4, false, true, Act.RELU, Order.CONV_NORM_ACT);
    Walk unknownInput = Walk.through(
        List.of(Optional.of(new NamedStage("a", big)), Optional.of(new NamedStage("b", grouped))),
        Optional.empty());
    assertThat(unknownInput.ok()).isFalse();
    assertThat(unknownInput.stages()).isEmpty();
    assertThat(unknownInput.failures()).containsExactly(new Walk.Failure(1, List.of(Problem.on(
        "groups", "30 output channels cannot be split into 4 groups: groups must divide the output"
            + " channels (30); try groups = 3"))));
    Walk gap = Walk.through(List.of(Optional.of(new NamedStage("a", big)), Optional.empty()),
        Optional.of(TensorShape.image(3, 64, 64)));
    assertThat(gap.ok()).isFalse();
    assertThat(gap.failures()).isEmpty();
    assertThat(gap.stages()).hasSize(1);
  }

  @Test
  void convInPreactivationOrderNormalizesItsInput() {
    ConvStage stage = new ConvStage(8, 1, 1, 0, 1, 1, false, true, Act.PRELU, Order.NORM_ACT_CONV);
    // 1x1 4->8 (32) + BN(4) 8 + PReLU(4) 4.
    assertThat(stage.cost(TensorShape.image(4, 2, 2))).isEqualTo(new Cost(44, 32 * 4));
  }

  @Test
  void headsFlatten() {
    TensorShape map = new TensorShape(512, 32, 7, 7, false);
    assertThat(new GlobalPoolStage(PoolKind.AVG).output(map)).isEqualTo(TensorShape.flat(512));
    assertThat(new FlattenStage().output(map)).isEqualTo(TensorShape.flat(7 * 7 * 512));
    assertThat(new ClassifierStage(10, PoolKind.AVG, 0).cost(map)).isEqualTo(new Cost(5130, 5120));
    assertThat(new DenseStage(10, false, Act.NONE).cost(TensorShape.flat(512)))
        .isEqualTo(new Cost(5120, 5120));
    assertThat(TensorShape.flat(10).describe()).isEqualTo("10");
    assertThat(TensorShape.image(3, -1, -1).describe()).isEqualTo("?x?x3");
  }
}
