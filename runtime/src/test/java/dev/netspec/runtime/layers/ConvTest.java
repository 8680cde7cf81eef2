package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Nets.gaussian;
import static dev.netspec.runtime.layers.Nets.predict;
import static dev.netspec.runtime.layers.Nets.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Convolutions against a direct Java convolution with PyTorch's definition. */
class ConvTest {

  /** One conv layer on an {@code [2, size, size, in]} input, compared with the direct result. */
  @ParameterizedTest(name = "{0}x{0}x{1} -> {2}, k{3} s{4} p{5} d{6} g{7} dynamic={8}")
  @CsvSource({
      // stride 1, padding k / 2: built as TF's SAME, no padded copy
      "6, 2, 3, 3, 1, 1, 1, 1, false",
      "5, 2, 3, 5, 1, 2, 1, 1, true",
      // stride 1, other paddings: an explicit pad
      "6, 2, 3, 3, 1, 2, 1, 1, false",
      // symmetric padding at stride 2 (TF's SAME would pad only bottom/right here)
      "6, 2, 3, 3, 2, 1, 1, 1, false",
      "7, 2, 3, 3, 2, 1, 1, 1, false",
      "6, 2, 3, 5, 2, 2, 1, 1, true",
      // groups
      "5, 4, 6, 3, 1, 1, 1, 2, false",
      "6, 4, 4, 3, 2, 1, 1, 4, false",
      "5, 6, 9, 1, 1, 0, 1, 3, true",
      // dilation
      "7, 2, 3, 3, 1, 2, 2, 1, false",
      "8, 2, 3, 3, 2, 2, 2, 1, false",
      "9, 2, 3, 3, 1, 3, 3, 1, false",
      "7, 4, 4, 3, 1, 2, 2, 2, false",
      "7, 2, 3, 3, 2, 2, 2, 1, true",
  })
  void matchesDirectConvolution(int size, int in, int out, int kernel, int stride, int padding,
      int dilation, int groups, boolean dynamic) {
    int side = dynamic ? -1 : size;
    try (Model<Nets.Net> model = Nets.model(in, side, side, Mode.INFERENCE, (layers, x) -> {
      Operand<TFloat32> y =
          layers.in("c").conv(x, out, kernel, stride, padding, dilation, groups, false);
      assertEquals(out, y.shape().get(3), "static channels");
      return y;
    })) {
      float[] x = gaussian(2 * size * size * in, size * 31L + in);
      float[] w = read(model, "c.weight");
      assertEquals(kernel * kernel * (in / groups) * out, w.length);
      float[] expected = Nets.conv(x, 2, size, size, in, w, kernel, out, stride, padding,
          dilation, groups);
      float[] got = predict(model, x, 2, size, size, in);
      assertArrayEquals(expected, got, 1e-4f);
    }
  }

  /**
   * A padded convolution in training, as TF's SAME (stride 1, padding k / 2), as a pad and a
   * VALID convolution, or in memory-efficient training as one whose gradient pads again:
   * gradients against finite differences.
   */
  @ParameterizedTest(name = "kernel {0}, stride {1}, padding {2}, memory-efficient {3}")
  @CsvSource({"3, 1, 1, true", "3, 2, 1, true", "7, 2, 3, true", "3, 2, 2, true",
      "3, 1, 1, false", "5, 1, 2, false", "3, 1, 2, false", "3, 2, 1, false"})
  void trainingGradientsOfAPaddedConvolutionMatchFiniteDifferences(int k, int stride, int p,
      boolean memoryEfficient) {
    int size = 7;
    int in = 2;
    int out = 3;
    try (Model<Nets.Net> model = Nets.model(in, size, size, Mode.TRAIN, memoryEfficient,
        (layers, x) -> layers.in("c").conv(x, out, k, stride, p, 1, 1, false))) {
      float[] x = gaussian(2 * size * size * in, 7);
      float[] w = read(model, "c.weight");
      int outSize = (size + 2 * p - k) / stride + 1;
      float[] r = gaussian(2 * outSize * outSize * out, 8);
      assertArrayEquals(Nets.conv(x, 2, size, size, in, w, k, out, stride, p, 1, 1),
          predict(model, x, 2, size, size, in), 1e-4f, "output");
      assertGradientsMatchFiniteDifferences(model, x, w, r, 2, size, in,
          (xs, ws) -> Nets.conv(xs, 2, size, size, in, ws, k, out, stride, p, 1, 1));
    }
  }

  /**
   * At stride 1 with padding k / 2 TensorFlow's SAME is PyTorch's padding: no padded copy of the
   * input exists for the filter's gradient to keep alive.
   */
  @Test
  void aStrideOneConvolutionPaddedByHalfItsKernelBuildsNoPad() {
    try (Model<Nets.Net> model = Nets.model(2, 6, 6, Mode.TRAIN,
        (layers, x) -> layers.in("c").conv(x, 3, 3, 1, 1, 1, 1, false))) {
      List<String> types = new ArrayList<>();
      model.graph().operations().forEachRemaining(op -> types.add(op.type()));
      assertTrue(types.contains("Conv2D"), types.toString());
      assertFalse(types.contains("Pad") || types.contains("PadV2"), types.toString());
    }
  }

  /** Dilated convolution's gradients (weights and input) against finite differences. */
  @ParameterizedTest(name = "stride {0}, groups {1}")
  @CsvSource({"1, 1", "2, 1", "1, 2"})
  void dilatedGradientsMatchFiniteDifferences(int stride, int groups) {
    int size = 7;
    int in = 2;
    int out = 2;
    int k = 3;
    int d = 2;
    int p = 2;
    try (Model<Nets.Net> model = Nets.model(in, size, size, Mode.INFERENCE,
        (layers, x) -> layers.in("c").conv(x, out, k, stride, p, d, groups, false))) {
      float[] x = gaussian(size * size * in, 5);
      float[] w = read(model, "c.weight");
      int outSize = (size + 2 * p - d * (k - 1) - 1) / stride + 1;
      float[] r = gaussian(outSize * outSize * out, 6);
      assertGradientsMatchFiniteDifferences(model, x, w, r, 1, size, in,
          (xs, ws) -> Nets.conv(xs, 1, size, size, in, ws, k, out, stride, p, d, groups));
    }
  }

  /**
   * The gradients of {@code sum(r · conv(x, w))} with respect to the weight {@code c.weight} and
   * the images, from {@code model}, against central differences of {@code conv}.
   */
  private static void assertGradientsMatchFiniteDifferences(Model<Nets.Net> model, float[] x,
      float[] w, float[] r, int batch, int size, int in, BinaryOperator<float[]> conv) {
    float[][] grads = Nets.gradients(model, r,
        List.of(model.variables().get("c.weight").variable(), model.images()), x, batch, size,
        size, in);
    double[] byWeight = Nets.finiteDifferences(
        wd -> Nets.dot(r, conv.apply(x, Nets.floats(wd))), Nets.doubles(w), 0.25);
    double[] byInput = Nets.finiteDifferences(
        xd -> Nets.dot(r, conv.apply(Nets.floats(xd), w)), Nets.doubles(x), 0.25);
    assertArrayEquals(Nets.floats(byWeight), grads[0], 2e-3f, "d loss / d weight");
    assertArrayEquals(Nets.floats(byInput), grads[1], 2e-3f, "d loss / d input");
  }

  @Test
  void biasIsAddedPerChannel() {
    try (Model<Nets.Net> model = Nets.model(1, 3, 3, Mode.INFERENCE,
        (layers, x) -> layers.in("c").conv(x, 2, 1, 1, 0, 1, 1, true))) {
      assertArrayEquals(new float[] {0, 0}, read(model, "c.bias"));
      try (TFloat32 w = Nets.tensor(new float[] {1, 2}, 1, 1, 1, 2);
          TFloat32 b = Nets.tensor(new float[] {10, 20}, 2)) {
        model.assign(java.util.Map.of("c.weight", w, "c.bias", b));
      }
      float[] y = predict(model, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
      assertEquals(11f, y[0]);
      assertEquals(22f, y[1]);
      assertEquals(19f, y[16]);
      assertEquals(38f, y[17]);
    }
  }

  @Test
  void kaimingNormalUsesTheChosenFan() {
    try (Model<Nets.Net> model = Nets.model(32, 4, 4, Mode.INFERENCE,
        (layers, x) -> layers.in("c").conv(x, 64, 3, 1, 1, 1, 1, false))) {
      float[] w = read(model, "c.weight");
      double sumSq = 0;
      for (float v : w) {
        sumSq += v * v;
      }
      double std = Math.sqrt(sumSq / w.length);
      double expected = Math.sqrt(2.0 / (64 * 9)); // FAN_OUT = out · k · k
      assertEquals(expected, std, expected * 0.05);
    }
  }

  @Test
  void rejectsGroupsThatDoNotDivideChannels() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Nets.model(6, 8, 8, Mode.INFERENCE,
            (layers, x) -> layers.conv(x, 8, 3, 1, 1, 1, 4, false)).close());
    assertTrue(e.getMessage().contains("4 groups"), e.getMessage());
  }
}
