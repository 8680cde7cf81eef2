package dev.netspec.processor.ir;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.PoolKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each primitive's output shape, variables and MACs, as PyTorch computes them. */
class PrimitivesTest {

  @ParameterizedTest(name = "side {0}, kernel {1}, stride {2}, padding {3}, ceil {4} -> {5}")
  @CsvSource({
      // ResNet's max pool: 112 -> 56; in ceil mode 112 -> 57.
      "112, 3, 2, 1, false, 56",
      "112, 3, 2, 1, true, 57",
      // GoogLeNet's ceil-mode pools: 112 -> 56 -> 28 -> 14, then 14 -> 7 with a 2x2 window.
      "112, 3, 2, 0, true, 56",
      "56, 3, 2, 0, true, 28",
      "28, 3, 2, 0, true, 14",
      "14, 2, 2, 0, true, 7",
      // An odd side: floor drops the last column, ceil keeps it.
      "5, 2, 2, 0, false, 2",
      "5, 2, 2, 0, true, 3",
      "7, 3, 2, 0, false, 3",
      "8, 3, 2, 0, true, 4",
      // PyTorch's rule: the last window must start inside the input or its left padding, so
      // 3 with kernel 2, stride 2, padding 1 in ceil mode gives 2, not 3.
      "3, 2, 2, 1, true, 2",
      "3, 2, 2, 1, false, 2",
      "4, 3, 3, 1, true, 2",
      // A window as large as the input.
      "7, 7, 7, 0, false, 1",
      "1, 1, 1, 0, true, 1",
  })
  void poolSide(int side, int kernel, int stride, int padding, boolean ceil, int expected) {
    assertThat(Pool.side(side, kernel, stride, padding, ceil)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "side {0}, kernel {1}, stride {2}, padding {3}, dilation {4} -> {5}")
  @CsvSource({
      "224, 7, 2, 3, 1, 112",
      "56, 3, 1, 1, 1, 56",
      "56, 3, 2, 1, 1, 28",
      "56, 1, 2, 0, 1, 28",
      "7, 3, 1, 2, 2, 7",
      "5, 3, 2, 0, 1, 2",
      "32, 5, 1, 0, 1, 28",
      "15, 3, 2, 1, 1, 8",
      "9, 3, 1, 0, 4, 1",
  })
  void convSide(int side, int kernel, int stride, int padding, int dilation, int expected) {
    assertThat(Conv.side(side, kernel, stride, padding, dilation)).isEqualTo(expected);
  }

  @Test
  void dynamicSidesStayDynamic() {
    assertThat(Pool.side(TensorShape.DYNAMIC, 3, 2, 1, true)).isEqualTo(TensorShape.DYNAMIC);
    assertThat(Conv.side(TensorShape.DYNAMIC, 3, 2, 1, 1)).isEqualTo(TensorShape.DYNAMIC);
  }

  @Test
  void groupedDilatedConvolution() {
    // 15x15x64 -> 3x3 dilation 2 (a 5x5 reach), padding 2, stride 2, 32 groups, with bias: 8x8x128
    Conv conv = new Conv(128, 3, 2, 2, 2, 32, true);
    List<TensorShape> in = List.of(new TensorShape(64, 4, 15, 15, false));
    assertThat(conv.output(in)).isEqualTo(new TensorShape(128, 8, 8, 8, false));
    assertThat(conv.parameters(in)).containsExactly(
        Parameter.trainable("weight", 128, 2, 3, 3), Parameter.trainable("bias", 128)).inOrder();
    // each output value sees 3x3 x 64/32 inputs; the bias adds no MACs
    assertThat(conv.macs(in)).isEqualTo(9L * 2 * 128 * 64);
  }

  @Test
  void convolutionMacsOverflowNoIntAndAreUnknownForADynamicSize() {
    Conv conv = Conv.of(2048, 3, 1);
    assertThat(conv.macs(List.of(TensorShape.image(2048, 224, 224))))
        .isEqualTo(9L * 2048 * 2048 * 224 * 224);
    assertThat(conv.macs(List.of(TensorShape.image(2048, -1, -1)))).isEqualTo(-1);
  }

  @Test
  void convolutionRejectsGroupsThatDoNotDivide() {
    assertThrows(IllegalArgumentException.class,
        () -> Conv.of(64, 3, 1).grouped(3).output(List.of(TensorShape.image(60, 8, 8))));
  }

  @Test
  void ceilModePoolKeepsTheLastPartialWindow() {
    Pool pool = new Pool(PoolKind.MAX, 3, 2, 0, true, true);
    List<TensorShape> in = List.of(new TensorShape(64, 2, 112, 112, false));
    assertThat(pool.output(in)).isEqualTo(new TensorShape(64, 4, 56, 56, false));
    assertThat(new Pool(PoolKind.AVG, 2, 2, 0, true, false).output(
        List.of(TensorShape.image(8, 5, 5)))).isEqualTo(new TensorShape(8, 2, 3, 3, false));
    assertThat(pool.parameters(in)).isEmpty();
    assertThat(pool.macs(in)).isEqualTo(0);
  }

  @Test
  void batchNormHasTwoTrainableVectorsAndTwoRunningStatistics() {
    List<TensorShape> in = List.of(TensorShape.image(64, 8, 8));
    assertThat(new BatchNorm().parameters(in)).containsExactly(
        Parameter.trainable("weight", 64), Parameter.trainable("bias", 64),
        Parameter.buffer("running_mean", 64), Parameter.buffer("running_var", 64)).inOrder();
    // over flat features as BatchNorm1d
    assertThat(new BatchNorm().output(List.of(TensorShape.flat(10)))).isEqualTo(TensorShape.flat(10));
  }

  @Test
  void onlyPReLUHasWeights() {
    List<TensorShape> in = List.of(TensorShape.image(10, 4, 4));
    assertThat(new Activation(Act.PRELU).parameters(in))
        .containsExactly(Parameter.trainable("weight", 10));
    assertThat(new Activation(Act.RELU).parameters(in)).isEmpty();
  }

  @Test
  void linearLayerIsOutByIn() {
    List<TensorShape> in = List.of(TensorShape.flat(512));
    assertThat(new Linear(10, true).output(in)).isEqualTo(TensorShape.flat(10));
    assertThat(new Linear(10, true).parameters(in)).containsExactly(
        Parameter.trainable("weight", 10, 512), Parameter.trainable("bias", 10)).inOrder();
    assertThat(new Linear(10, false).macs(in)).isEqualTo(5120);
    assertThrows(IllegalArgumentException.class,
        () -> new Linear(10, true).output(List.of(TensorShape.image(512, 7, 7))));
  }

  @Test
  void poolsFlattenAndNormalize() {
    TensorShape map = new TensorShape(512, 32, 7, 7, false);
    assertThat(new GlobalPool(PoolKind.AVG, false).output(List.of(map)))
        .isEqualTo(TensorShape.flat(512));
    assertThat(new GlobalPool(PoolKind.AVG, true).output(List.of(map)))
        .isEqualTo(new TensorShape(512, 32, 1, 1, false));
    assertThat(new Flatten().output(List.of(map))).isEqualTo(TensorShape.flat(7 * 7 * 512));
    assertThat(new Normalize().output(List.of(TensorShape.flat(128))))
        .isEqualTo(TensorShape.flat(128));
  }

  @Test
  void mergesAndSplits() {
    TensorShape a = new TensorShape(256, 4, 56, 56, false);
    TensorShape b = new TensorShape(48, 4, 56, 56, false);
    assertThat(new Concat().output(List.of(a, b))).isEqualTo(a.withChannels(304));
    assertThat(new Add().output(List.of(a, a))).isEqualTo(a);
    assertThrows(IllegalArgumentException.class, () -> new Add().output(List.of(a, b)));
    assertThat(new Slice(256, 48).output(List.of(a.withChannels(304)))).isEqualTo(b);
    assertThrows(IllegalArgumentException.class, () -> new Slice(256, 48).output(List.of(a)));
    TensorShape gate = new TensorShape(256, 4, 1, 1, false);
    assertThat(new Gate().output(List.of(a, gate))).isEqualTo(a);
  }

  @Test
  void attentionWeightsAPartEachAndSumsTheParts() {
    TensorShape path = TensorShape.image(64, 8, 8);
    TensorShape logits = new TensorShape(128, 1, 1, 1, false);
    assertThat(new RadixSoftmax(2, 4).output(List.of(logits))).isEqualTo(logits);
    assertThrows(IllegalArgumentException.class,
        () -> new RadixSoftmax(3, 1).output(List.of(logits)));
    assertThat(new WeightedSum().output(List.of(path, path, logits))).isEqualTo(path);
    assertThrows(IllegalArgumentException.class,
        () -> new WeightedSum().output(List.of(path, logits)));
  }

  @Test
  void layerNormHasAWeightAndBiasPerChannel_onMapsAndFlatFeatures() {
    TensorShape map = TensorShape.image(96, 56, 56);
    LayerNorm norm = new LayerNorm(1e-6);
    assertThat(norm.output(List.of(map))).isEqualTo(map);
    assertThat(norm.parameters(List.of(map))).containsExactly(
        Parameter.trainable("weight", 96), Parameter.trainable("bias", 96)).inOrder();
    assertThat(norm.parameters(List.of(TensorShape.flat(768)))).containsExactly(
        Parameter.trainable("weight", 768), Parameter.trainable("bias", 768)).inOrder();
    assertThat(norm.macs(List.of(map))).isEqualTo(0);
  }

  @Test
  void layerScaleIsTorchvisionsCByOneByOne_stochasticDepthHasNoVariables() {
    TensorShape map = TensorShape.image(96, 56, 56);
    assertThat(new LayerScale(1e-6).output(List.of(map))).isEqualTo(map);
    assertThat(new LayerScale(1e-6).parameters(List.of(map)))
        .containsExactly(Parameter.trainable("layer_scale", 96, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new LayerScale(1e-6).output(List.of(TensorShape.flat(96))));
    assertThat(new StochasticDepth(0.1).output(List.of(map))).isEqualTo(map);
    assertThat(new StochasticDepth(0.1).parameters(List.of(map))).isEmpty();
    assertThrows(IllegalArgumentException.class,
        () -> new StochasticDepth(0.1).output(List.of(map, map)));
  }

  @Test
  void costsAddAndStayDynamic() {
    assertThat(new Cost(1, 2).plus(new Cost(3, 4))).isEqualTo(new Cost(4, 6));
    assertThat(new Cost(1, -1).plus(new Cost(3, 4))).isEqualTo(new Cost(4, -1));
    assertThat(new Cost(1, 2).plus(new Cost(3, -1))).isEqualTo(new Cost(4, -1));
  }
}
