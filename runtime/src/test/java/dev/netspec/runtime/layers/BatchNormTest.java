package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Nets.gaussian;
import static dev.netspec.runtime.layers.Nets.predict;
import static dev.netspec.runtime.layers.Nets.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/** BatchNorm with PyTorch's semantics: batch statistics in TRAIN, running ones in INFERENCE. */
class BatchNormTest {

  private static final int N = 2;
  private static final int H = 3;
  private static final int W = 3;
  private static final int C = 2;
  private static final float EPS = 1e-5f;

  /** Per-channel mean, biased and unbiased variance of an NHWC batch. */
  private static double[][] stats(float[] x) {
    int count = x.length / C;
    double[] mean = new double[C];
    double[] biased = new double[C];
    double[] unbiased = new double[C];
    for (int i = 0; i < x.length; i++) {
      mean[i % C] += x[i] / (double) count;
    }
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[i % C];
      biased[i % C] += d * d / count;
      unbiased[i % C] += d * d / (count - 1);
    }
    return new double[][] {mean, biased, unbiased};
  }

  private static float[] input() {
    float[] x = gaussian(N * H * W * C, 3);
    for (int i = 0; i < x.length; i++) {
      x[i] = x[i] * (i % C + 1) + 2 * (i % C) - 1; // channel means and scales differ
    }
    return x;
  }

  @Test
  void trainingNormalizesByBatchStatisticsAndUpdatesRunningOnes() {
    try (Model<Nets.Net> model = Nets.model(C, H, W, Mode.TRAIN,
        (layers, x) -> layers.in("bn").batchNorm(x, EPS, 0.1f))) {
      assertEquals(List.of("bn.weight", "bn.bias"),
          List.copyOf(model.network().trainableVariables().keySet()));
      assertEquals(2, model.network().updateOps().size());
      assertEquals(4, model.variables().size());
      float[] x = input();
      double[][] s = stats(x);
      float[] y = predict(model, x, N, H, W, C);
      for (int i = 0; i < x.length; i++) {
        int c = i % C;
        assertEquals((x[i] - s[0][c]) / Math.sqrt(s[1][c] + EPS), y[i], 1e-4, "y[" + i + "]");
      }
      // one step: running = 0.9 · running + 0.1 · batch, with the unbiased variance
      float[] runningMean = read(model, "bn.running_mean");
      float[] runningVar = read(model, "bn.running_var");
      for (int c = 0; c < C; c++) {
        assertEquals(0.1 * s[0][c], runningMean[c], 1e-5);
        assertEquals(0.9 + 0.1 * s[2][c], runningVar[c], 1e-5);
      }
      // a second step moves them again
      predict(model, x, N, H, W, C);
      float[] runningMean2 = read(model, "bn.running_mean");
      for (int c = 0; c < C; c++) {
        assertEquals(0.9 * 0.1 * s[0][c] + 0.1 * s[0][c], runningMean2[c], 1e-5);
      }
    }
  }

  @Test
  void inferenceUsesRunningStatistics() {
    try (Model<Nets.Net> model = Nets.model(C, H, W, Mode.INFERENCE,
        (layers, x) -> layers.in("bn").batchNorm(x, EPS, 0.1f));
        TFloat32 mean = Nets.tensor(new float[] {0.5f, -1f}, C);
        TFloat32 var = Nets.tensor(new float[] {4f, 0.25f}, C);
        TFloat32 gamma = Nets.tensor(new float[] {2f, 3f}, C);
        TFloat32 beta = Nets.tensor(new float[] {0.1f, -0.2f}, C)) {
      assertTrue(model.network().updateOps().isEmpty());
      model.assign(Map.of("bn.running_mean", mean, "bn.running_var", var, "bn.weight", gamma,
          "bn.bias", beta));
      float[] x = input();
      float[] y = predict(model, x, N, H, W, C);
      float[] m = {0.5f, -1f};
      float[] v = {4f, 0.25f};
      float[] g = {2f, 3f};
      float[] b = {0.1f, -0.2f};
      for (int i = 0; i < x.length; i++) {
        int c = i % C;
        assertEquals(g[c] * (x[i] - m[c]) / Math.sqrt(v[c] + EPS) + b[c], y[i], 1e-4);
      }
      assertArrayEquals(m, read(model, "bn.running_mean"), "unchanged by inference");
    }
  }

  /** The gradient of FusedBatchNormV3 (TRAIN) against finite differences of the definition. */
  @Test
  void trainingGradientMatchesFiniteDifferences() {
    try (Model<Nets.Net> model = Nets.model(C, H, W, Mode.TRAIN,
        (layers, x) -> layers.in("bn").batchNorm(x, EPS, 0.1f))) {
      float[] x = input();
      float[] r = gaussian(x.length, 9);
      float[] gamma = {1.5f, 0.5f};
      try (TFloat32 g = Nets.tensor(gamma, C)) {
        model.assign("bn.weight", g);
      }
      float[][] grads = Nets.gradients(model, r,
          List.of(model.images(), model.variables().get("bn.weight").variable()), x, N, H, W, C);
      double[] byInput = Nets.finiteDifferences(xd -> loss(xd, gamma, r), Nets.doubles(x), 1e-4);
      assertArrayEquals(Nets.floats(byInput), grads[0], 1e-3f, "d loss / d x");
      double[] byGamma = Nets.finiteDifferences(
          gd -> loss(Nets.doubles(x), Nets.floats(gd), r), Nets.doubles(gamma), 1e-4);
      assertArrayEquals(Nets.floats(byGamma), grads[1], 5e-3f, "d loss / d gamma");
    }
  }

  /** sum(r · BN(x)) in double precision, batch statistics, biased variance. */
  private static double loss(double[] x, float[] gamma, float[] r) {
    int count = x.length / C;
    double[] mean = new double[C];
    double[] var = new double[C];
    for (int i = 0; i < x.length; i++) {
      mean[i % C] += x[i] / count;
    }
    for (int i = 0; i < x.length; i++) {
      double d = x[i] - mean[i % C];
      var[i % C] += d * d / count;
    }
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      int c = i % C;
      sum += r[i] * gamma[c] * (x[i] - mean[c]) / Math.sqrt(var[c] + EPS);
    }
    return sum;
  }

  @Test
  void flatFeaturesNormalizeLikeBatchNorm1d() {
    try (Model<Nets.Net> model = Nets.model(C, H, W, Mode.TRAIN, (layers, x) -> {
      var flat = layers.globalPool(x, Pooling.MAX);
      var y = layers.in("act").activation(layers.in("bn").batchNorm(flat, EPS, 0.1f),
          Nonlinearity.PRELU);
      assertEquals("[-1, 2]", y.shape().toString());
      return y;
    })) {
      float[] y = predict(model, input(), N, H, W, C);
      assertEquals(N * C, y.length);
      for (int c = 0; c < C; c++) {
        // two samples normalize to ±1 (up to epsilon); PReLU scales the negative one by 0.25
        float hi = Math.max(y[c], y[C + c]);
        float lo = Math.min(y[c], y[C + c]);
        assertEquals(1f, hi, 1e-3);
        assertEquals(-0.25f, lo, 1e-3);
      }
    }
  }
}
