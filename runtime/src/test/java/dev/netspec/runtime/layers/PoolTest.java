package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Nets.gaussian;
import static dev.netspec.runtime.layers.Nets.iota;
import static dev.netspec.runtime.layers.Nets.predict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Pooling against PyTorch's results, at static and dynamic input sizes. */
class PoolTest {

  private static final float TOLERANCE = 1e-5f;

  /** Pools a single-channel square image, with the size fixed in the graph or dynamic. */
  private static float[] pool(boolean dynamic, float[] image, int size, Pooling kind, int kernel,
      int stride, int padding, boolean ceil, boolean countPadding, int expectedSide) {
    int side = dynamic ? -1 : size;
    Shape[] graphShape = new Shape[1];
    try (Model<Nets.Net> model = Nets.model(1, side, side, Mode.INFERENCE, (layers, x) -> {
      var y = layers.pool(x, kind, kernel, stride, padding, ceil, countPadding);
      graphShape[0] = y.shape();
      return y;
    })) {
      long staticSide = dynamic ? -1 : expectedSide;
      assertArrayEquals(new long[] {-1, staticSide, staticSide, 1}, graphShape[0].asArray());
      try (TFloat32 in = Nets.tensor(image, 1, size, size, 1);
          TFloat32 out = model.predict(in)) {
        assertEquals(Shape.of(1, expectedSide, expectedSide, 1), out.shape());
        return Nets.values(out);
      }
    }
  }

  private static float[] negate(float[] a) {
    float[] b = a.clone();
    for (int i = 0; i < b.length; i++) {
      b[i] = -b[i];
    }
    return b;
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, 1f);
    return a;
  }

  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void maxPoolPadsWithMinusInfinity(boolean dynamic) {
    // MaxPool2d(3, 2, padding=1) on -(1..25): zero padding would yield 0 at the borders
    float[] out = pool(dynamic, negate(iota(25)), 5, Pooling.MAX, 3, 2, 1, false, true, 3);
    assertArrayEquals(new float[] {-1, -2, -4, -6, -7, -9, -16, -17, -19}, out, TOLERANCE);
  }

  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void maxPoolCeilMode(boolean dynamic) {
    // MaxPool2d(2, 2, ceil_mode=True) on 1..25 (5×5)
    float[] out = pool(dynamic, iota(25), 5, Pooling.MAX, 2, 2, 0, true, true, 3);
    assertArrayEquals(new float[] {7, 9, 10, 17, 19, 20, 22, 24, 25}, out, TOLERANCE);
    float[] floor = pool(dynamic, iota(25), 5, Pooling.MAX, 2, 2, 0, false, true, 2);
    assertArrayEquals(new float[] {7, 9, 17, 19}, floor, TOLERANCE);
  }

  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void ceilModeDropsTheWindowThatStartsInThePadding(boolean dynamic) {
    // MaxPool2d(2, 2, padding=1, ceil_mode=True) on 5×5: 3×3, not 4×4
    float[] out = pool(dynamic, iota(25), 5, Pooling.MAX, 2, 2, 1, true, true, 3);
    assertArrayEquals(new float[] {1, 3, 5, 11, 13, 15, 21, 23, 25}, out, TOLERANCE);
  }

  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void ceilModeSizeSevenKernelThree(boolean dynamic) {
    float[] out = pool(dynamic, iota(49), 7, Pooling.MAX, 3, 2, 1, true, true, 4);
    assertEquals(16, out.length);
    assertEquals(49f, out[15], TOLERANCE);
    assertEquals(9f, out[0], TOLERANCE);
  }

  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void avgPoolCeilModeDividesByTheElementsInside(boolean dynamic) {
    // AvgPool2d(2, 2, ceil_mode=True) on 1..25 (5×5)
    float[] out = pool(dynamic, iota(25), 5, Pooling.AVG, 2, 2, 0, true, true, 3);
    assertArrayEquals(new float[] {4, 6, 7.5f, 14, 16, 17.5f, 21.5f, 23.5f, 25}, out, TOLERANCE);
  }

  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void avgPoolCeilModeOnOnePixel(boolean dynamic) {
    // AvgPool2d(2, 2, ceil_mode=True, count_include_pad=False) on 1×1: ResNet-D's shortcut
    float[] out = pool(dynamic, new float[] {3}, 1, Pooling.AVG, 2, 2, 0, true, false, 1);
    assertArrayEquals(new float[] {3}, out, TOLERANCE);
  }

  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void avgPoolCountIncludePad(boolean dynamic) {
    // AvgPool2d(3, 2, padding=1), count_include_pad True (PyTorch's default) and False
    float[] counted = pool(dynamic, iota(25), 5, Pooling.AVG, 3, 2, 1, false, true, 3);
    assertArrayEquals(new float[] {16 / 9f, 33 / 9f, 28 / 9f, 69 / 9f, 13, 87 / 9f, 76 / 9f,
        123 / 9f, 88 / 9f}, counted, TOLERANCE);
    float[] uncounted = pool(dynamic, iota(25), 5, Pooling.AVG, 3, 2, 1, false, false, 3);
    assertArrayEquals(new float[] {4, 5.5f, 7, 11.5f, 13, 14.5f, 19, 20.5f, 22},
        uncounted, TOLERANCE);
  }

  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void avgPoolCeilOverhangNeverCounts(boolean dynamic) {
    // AvgPool2d(3, 2, padding=1, ceil_mode=True) on ones(6×6): 4×4; the last window covers one
    // real row, one padding row (counted) and one row beyond the padded input (not counted)
    float[] counted = pool(dynamic, ones(36), 6, Pooling.AVG, 3, 2, 1, true, true, 4);
    float[] rowsReal = {2, 3, 3, 1};
    float[] rowsCounted = {3, 3, 3, 2};
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(rowsReal[i] * rowsReal[j] / (rowsCounted[i] * rowsCounted[j]),
            counted[i * 4 + j], TOLERANCE, "at " + i + "," + j);
      }
    }
    float[] uncounted = pool(dynamic, ones(36), 6, Pooling.AVG, 3, 2, 1, true, false, 4);
    assertArrayEquals(ones(16), uncounted, TOLERANCE);
  }

  /** Random inputs against a transcription of PyTorch's CPU pooling kernels. */
  @ParameterizedTest(name = "dynamic={0}")
  @ValueSource(booleans = {false, true})
  void matchesPyTorchsKernelsOnRandomInputs(boolean dynamic) {
    List<int[]> configs = new ArrayList<>();
    for (int size : new int[] {5, 6, 7, 8}) {
      for (int kernel : new int[] {2, 3}) {
        for (int stride : new int[] {1, 2, 3}) {
          for (int padding = 0; padding <= kernel / 2; padding++) {
            configs.add(new int[] {size, kernel, stride, padding});
          }
        }
      }
    }
    int checked = 0;
    for (int[] c : configs) {
      if ((c[0] * 31 + c[1] * 7 + c[2] * 3 + c[3]) % 3 != 0) {
        continue; // a third of the grid keeps the test fast
      }
      float[] x = gaussian(c[0] * c[0], c[0] * 1000L + c[1] * 100 + c[2] * 10 + c[3]);
      for (Pooling kind : Pooling.values()) {
        for (boolean ceil : new boolean[] {false, true}) {
          boolean countPadding = c[3] % 2 == 0;
          int side = (int) PoolGeometry.outputSize(c[0], c[1], c[2], c[3], ceil);
          float[] expected = reference(x, c[0], kind, c[1], c[2], c[3], ceil, countPadding);
          float[] got = pool(dynamic, x, c[0], kind, c[1], c[2], c[3], ceil, countPadding, side);
          assertArrayEquals(expected, got, 1e-5f, kind + " " + java.util.Arrays.toString(c)
              + " ceil=" + ceil);
          checked++;
        }
      }
    }
    assertEquals(true, checked > 20);
  }

  /** PyTorch's avg_pool2d / max_pool2d for one channel, as its CPU kernels compute them. */
  private static float[] reference(float[] x, int size, Pooling kind, int k, int s, int p,
      boolean ceil, boolean countPadding) {
    int out = (int) PoolGeometry.outputSize(size, k, s, p, ceil);
    float[] y = new float[out * out];
    for (int oh = 0; oh < out; oh++) {
      for (int ow = 0; ow < out; ow++) {
        int hs = oh * s - p;
        int ws = ow * s - p;
        int he = Math.min(hs + k, size + p);
        int we = Math.min(ws + k, size + p);
        int poolSize = (he - hs) * (we - ws);
        hs = Math.max(hs, 0);
        ws = Math.max(ws, 0);
        he = Math.min(he, size);
        we = Math.min(we, size);
        double acc = kind == Pooling.MAX ? Double.NEGATIVE_INFINITY : 0;
        for (int i = hs; i < he; i++) {
          for (int j = ws; j < we; j++) {
            acc = kind == Pooling.MAX ? Math.max(acc, x[i * size + j]) : acc + x[i * size + j];
          }
        }
        if (kind == Pooling.AVG) {
          acc /= countPadding ? poolSize : (he - hs) * (we - ws);
        }
        y[oh * out + ow] = (float) acc;
      }
    }
    return y;
  }

  @Test
  void globalPoolFlattensSpace() {
    try (Model<Nets.Net> model = Nets.model(2, 2, 2, Mode.INFERENCE,
        (layers, x) -> layers.tf().concat(List.of(
            layers.globalPool(x, Pooling.AVG), layers.globalPool(x, Pooling.MAX)),
            layers.tf().constant(1)))) {
      assertArrayEquals(new long[] {-1, 4}, model.network().output().shape().asArray());
      float[] out = predict(model, iota(8), 1, 2, 2, 2);
      // channel 0: 1,3,5,7; channel 1: 2,4,6,8
      assertArrayEquals(new float[] {4, 5, 7, 8}, out, TOLERANCE);
    }
  }

  @Test
  void rejectsPaddingOverHalfTheKernel() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Nets.model(1, 8, 8, Mode.INFERENCE,
            (layers, x) -> layers.pool(x, Pooling.MAX, 3, 2, 2, false)).close());
    assertEquals(true, e.getMessage().contains("padding"), e.getMessage());
  }
}
