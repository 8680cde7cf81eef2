package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The op library's primitives without variables that join, part and weight channels, on inputs
 * small enough to compute by hand: what generated code builds residual additions, dense
 * concatenations, dual-path splits and channel attention from.
 */
class ChannelOpsTest {

  /** The output for one 1×1 image with {@code x} as its channels. */
  private static float[] apply(float[] x,
      BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> op) {
    try (Model<Nets.Net> model = Nets.model(x.length, 1, 1, Mode.INFERENCE, op)) {
      return Nets.predict(model, x, 1, 1, 1, x.length);
    }
  }

  @Test
  void splitSliceConcatAndAddMoveChannelsAsPyTorchsIndexingDoes() {
    float[] x = {1, 2, 3, 4, 5};
    assertArrayEquals(new float[] {3, 4, 5, 1, 2}, apply(x, (layers, in) -> {
      List<Operand<TFloat32>> parts = layers.split(in, 2, 3);
      return layers.concat(parts.get(1), parts.get(0));
    }));
    assertArrayEquals(new float[] {2, 3, 4}, apply(x, (layers, in) -> layers.slice(in, 1, 3)));
    // x[0:2] + x[2:4] + x[3:5]
    assertArrayEquals(new float[] {1 + 3 + 4, 2 + 4 + 5}, apply(x, (layers, in) ->
        layers.add(layers.slice(in, 0, 2), layers.slice(in, 2, 2), layers.slice(in, 3, 2))));
  }

  @Test
  void partsMustMakeUpTheChannels() {
    assertThrows(IllegalArgumentException.class,
        () -> apply(new float[] {1, 2, 3}, (layers, in) -> layers.split(in, 1, 1).get(0)));
    assertThrows(IllegalArgumentException.class,
        () -> apply(new float[] {1, 2, 3}, (layers, in) -> layers.slice(in, 2, 2)));
  }

  @Test
  void gateScalesEachImagesChannelsByItsSqueeze() {
    try (Model<Nets.Net> model = Nets.model(2, 1, 2, Mode.INFERENCE,
        (layers, in) -> layers.gate(in, layers.globalPool(in, Pooling.AVG, true)))) {
      // channel 0: 1, 3 (mean 2); channel 1: 2, 6 (mean 4)
      assertArrayEquals(new float[] {2, 8, 6, 24},
          Nets.predict(model, new float[] {1, 2, 3, 6}, 1, 1, 2, 2));
    }
  }

  @Test
  void radixSoftmaxIsTimmsWithinEachCardinalGroup() {
    // radix 2, cardinality 2, one channel per group: logits are (group, radix)-major
    float[] logits = {0, 1, 2, 2};
    double e = Math.exp(1);
    float[] expected = {
        (float) (1 / (1 + e)), 0.5f, // radix 0: group 0, group 1
        (float) (e / (1 + e)), 0.5f}; // radix 1
    assertArrayEquals(expected, apply(logits, (layers, in) -> layers.radixSoftmax(in, 2, 2)),
        1e-6f);
  }

  @Test
  void weightedSumWeightsEachPartByItsChannels() {
    // parts 1, 2 and 3, 4; weights 10, 20 for the first part, 30, 40 for the second
    float[] x = {1, 2, 3, 4, 10, 20, 30, 40};
    assertArrayEquals(new float[] {1 * 10 + 3 * 30, 2 * 20 + 4 * 40}, apply(x, (layers, in) -> {
      List<Operand<TFloat32>> parts = layers.split(in, 2, 2, 4);
      return layers.weightedSum(parts.subList(0, 2), parts.get(2));
    }));
  }
}
