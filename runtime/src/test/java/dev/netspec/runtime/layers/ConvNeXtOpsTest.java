package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Nets.predict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** LayerNorm over the channels, layer scale and stochastic depth, with PyTorch's semantics. */
class ConvNeXtOpsTest {

  /** An NHWC map of 2×2 positions and 3 channels; the second position's channels are equal. */
  private static final float[] X = {1f, -2f, 0.5f, 3f, 3f, 3f, -1f, 4f, 2f, 0.25f, -0.75f, 10f};

  /**
   * torchvision's {@code LayerNorm2d(3, eps=1e-6)} with weight (1.5, -0.5, 2) and bias (0.1, 0.2,
   * -0.3) on {@link #X}, computed with torch 1.13 (input permuted to NCHW and back).
   */
  private static final float[] LAYER_NORM_2D = {1.4335010f, 0.8985005f, 0.7160007f, 0.1000916f,
      0.1999695f, -0.2998779f, -1.8466567f, -0.3677749f, 0.0244429f, -0.8022271f, 0.6038540f,
      2.5183854f};

  @Test
  void layerNormMatchesTorchvisionsLayerNorm2dInEveryMode() {
    for (Mode mode : List.of(Mode.INFERENCE, Mode.TRAIN)) {
      try (Model<Nets.Net> model = Nets.model(3, 2, 2, mode,
          (layers, x) -> layers.in("norm").layerNorm(x, 1e-6f))) {
        assertEquals(List.of("norm.weight", "norm.bias"),
            List.copyOf(model.network().trainableVariables().keySet()));
        try (TFloat32 w = Nets.tensor(new float[] {1.5f, -0.5f, 2f}, 3);
            TFloat32 b = Nets.tensor(new float[] {0.1f, 0.2f, -0.3f}, 3)) {
          model.assign(Map.of("norm.weight", w, "norm.bias", b));
        }
        // a position whose channels are equal has no variance: PyTorch's float rounding of its
        // mean leaves 1e-4 there
        assertArrayEquals(LAYER_NORM_2D, predict(model, X, 1, 2, 2, 3), 2e-4f, mode.name());
      }
    }
  }

  @Test
  void layerNormOnFlatFeaturesIsPyTorchsLayerNorm() {
    try (Model<Nets.Net> model = Nets.model(3, 2, 2, Mode.INFERENCE,
        (layers, x) -> layers.in("norm").layerNorm(layers.flatten(x), 1e-6f))) {
      float[] y = predict(model, X, 1, 2, 2, 3);
      // 12 features with weight 1 and bias 0: mean 0 and biased variance 1 over them
      double mean = 0;
      double square = 0;
      for (float v : y) {
        mean += v / 12.0;
        square += v * (double) v / 12.0;
      }
      assertEquals(0, mean, 1e-6);
      assertEquals(1, square, 1e-4);
    }
  }

  @Test
  void layerScaleMultipliesEachChannelAndStartsAtItsInit() {
    try (Model<Nets.Net> model = Nets.model(3, 2, 2, Mode.INFERENCE,
        (layers, x) -> layers.layerScale(x, 1e-6f))) {
      assertArrayEquals(new float[] {1e-6f, 1e-6f, 1e-6f}, Nets.read(model, "layer_scale"));
      try (TFloat32 gamma = Nets.tensor(new float[] {2f, -1f, 0.5f}, 3)) {
        model.assign("layer_scale", gamma);
      }
      float[] y = predict(model, X, 1, 2, 2, 3);
      float[] factors = {2f, -1f, 0.5f};
      for (int i = 0; i < X.length; i++) {
        assertEquals(X[i] * factors[i % 3], y[i], 0f);
      }
    }
  }

  private static float[] ones(int n) {
    float[] a = new float[n];
    Arrays.fill(a, 1f);
    return a;
  }

  /** Runs a TRAIN model with the dropout seed input fed. */
  private static float[] run(Model<?> model, float[] x, long seed, long... shape) {
    try (TFloat32 in = Nets.tensor(x, shape); TInt64 s = TInt64.scalarOf(seed);
        var result = model.session().runner().feed(model.images(), in)
            .feed(Layers.DROPOUT_SEED_INPUT, s).fetch(model.network().output()).run()) {
      return Nets.values((TFloat32) result.get(0));
    }
  }

  @Test
  void stochasticDepthDropsWholeImagesInTrainingSeededPerStep() {
    int n = 64;
    float rate = 0.25f;
    float[] x = ones(n * 2 * 2 * 3);
    try (Model<Nets.Net> model = Nets.model(3, 2, 2, Mode.TRAIN,
        (layers, in) -> layers.stochasticDepth(in, rate))) {
      assertEquals(0, model.parameterCount());
      float[] y = run(model, x, 7, n, 2, 2, 3);
      int dropped = 0;
      for (int image = 0; image < n; image++) {
        float first = y[image * 12];
        assertTrue(first == 0f || Math.abs(first - 1 / (1 - rate)) < 1e-6, "value " + first);
        for (int i = 1; i < 12; i++) {
          assertEquals(first, y[image * 12 + i], 0f, "one draw per image");
        }
        dropped += first == 0f ? 1 : 0;
      }
      assertEquals(n * rate, dropped, 10);
      assertArrayEquals(y, run(model, x, 7, n, 2, 2, 3), "a step's seed gives its masks again");
      assertNotEquals(Arrays.toString(y), Arrays.toString(run(model, x, 8, n, 2, 2, 3)));
    }
  }

  @Test
  void stochasticDepthIsTheIdentityInInferenceAndAtRateZero() {
    float[] x = Nets.gaussian(4 * 2 * 2 * 3, 3);
    try (Model<Nets.Net> model = Nets.model(3, 2, 2, Mode.INFERENCE,
        (layers, in) -> layers.stochasticDepth(in, 0.5f))) {
      assertArrayEquals(x, predict(model, x, 4, 2, 2, 3));
    }
    try (Model<Nets.Net> model = Nets.model(3, 2, 2, Mode.TRAIN,
        (layers, in) -> layers.stochasticDepth(in, 0f))) {
      assertArrayEquals(x, predict(model, x, 4, 2, 2, 3));
    }
    assertThrows(IllegalArgumentException.class, () -> Nets.model(3, 2, 2, Mode.TRAIN,
        (layers, in) -> layers.stochasticDepth(in, 1.5f)).close());
  }
}
