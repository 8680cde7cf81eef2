package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * DPN blocks of primitives, as generated code builds them, against timm's {@code DualPathBlock}: the same variables under timm's
 * names, and the same outputs for the same weights and input, in both modes and on both
 * grouped-convolution paths. The reference, {@code dual_path_timm.txt}, is written by {@code
 * dual_path_timm.py} beside it: two blocks of width 8, inc 2, kR 128 (R = 4), G = 2, 'down', on a
 * 2×5×5×6 input, without and with a squeeze-excite gate (reduction 4).
 */
class DualPathTimmParityTest {
  private static final Map<String, float[]> VALUES = new HashMap<>();
  private static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

  static {
    read("dual_path_timm.txt");
  }

  private static void read(String resource) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        DualPathTimmParityTest.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
      for (String header = in.readLine(); header != null; header = in.readLine()) {
        String[] h = header.split(" ");
        long[] shape = new long[Integer.parseInt(h[2])];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = Long.parseLong(h[3 + i]);
        }
        String[] numbers = in.readLine().split(" ");
        float[] values = new float[numbers.length];
        for (int i = 0; i < values.length; i++) {
          values[i] = Float.parseFloat(numbers[i]);
        }
        SHAPES.put(h[1], shape);
        VALUES.put(h[1], values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Two blocks of width 8, inc 2, R = 4, G = 2, 'down', in scope {@code scope}, with timm's
   * epsilon 1e-3, and a squeeze-excite gate to 2 channels where {@code seHidden} is not 0.
   */
  private static Model<Nets.Net> model(int seHidden, String scope, Mode mode) {
    return Model.create((tf, images, m) -> {
      Layers layers = Layers.create(tf, m, Nonlinearity.RELU, 1e-3f, FanMode.FAN_OUT);
      return new Nets.Net(FamilyUnits.dualPath(layers.in(scope), images, 2, 8, 2, 4, 2, 2,
          seHidden), layers.store());
    }, 6, 5, 5, mode, 1L);
  }

  @ParameterizedTest(name = "{0} {1}, grouped convolution {2}")
  @CsvSource({
      "plain, INFERENCE, split", "plain, TRAIN, split", "se, INFERENCE, split", "se, TRAIN, split",
      "plain, INFERENCE, native", "plain, TRAIN, native", "se, INFERENCE, native", "se, TRAIN, native",
  })
  void matchesTimm(String variant, Mode mode, String path) {
    assumeTrue(path.equals("split") || KernelCheck.groupedKernelsTrain(),
        "no grouped kernels here (oneDNN off): " + GroupedConvolution.describe());
    int seHidden = variant.equals("se") ? 2 : 0;
    try (Model<Nets.Net> model =
        GroupedConvPaths.orSkip(path, () -> model(seHidden, variant, mode))) {
      Map<String, TFloat32> weights = new TreeMap<>();
      try {
        for (String name : SHAPES.keySet()) {
          if (name.startsWith(variant + ".")) {
            weights.put(name, Nets.tensor(VALUES.get(name), SHAPES.get(name)));
          }
        }
        // every variable has its timm counterpart, and no more
        assertEquals(weights.keySet(), new TreeSet<>(model.variables().entries().stream()
            .map(VariableStore.Entry::name).toList()));
        model.assign(weights);
      } finally {
        weights.values().forEach(TFloat32::close);
      }
      float[] got = Nets.predict(model, VALUES.get("input"), SHAPES.get("input"));
      float[] expected =
          VALUES.get("output." + variant + "." + (mode == Mode.TRAIN ? "train" : "eval"));
      assertArrayEquals(expected, got, 2e-5f * max(expected) + 1e-6f);
    }
  }

  private static float max(float[] values) {
    float max = 0;
    for (float v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  @Test
  void variablesAreNamedAsTimmsAndCountedAsTimm() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 56, 56, 64)));
      Layers layers = Layers.create(tf, Mode.TRAIN, Nonlinearity.RELU, 1e-3f, FanMode.FAN_OUT);
      // DPN-92's conv2 ('proj'): 173,248 parameters in timm
      Operand<TFloat32> y = FamilyUnits.dualPath(layers.in("conv2"), x, 3, 256, 16, 96, 32, 1, 0);
      assertArrayEquals(new long[] {-1, 56, 56, 336}, y.shape().asArray());
      VariableStore store = layers.store();
      assertEquals(173_248L, store.parameterCount());
      assertArrayEquals(new long[] {1, 1, 64, 288},
          store.get("conv2.1.c1x1_w_s1.conv.weight").shape().asArray());
      assertArrayEquals(new long[] {3, 3, 3, 96},
          store.get("conv2.2.c3x3_b.conv.weight").shape().asArray());
      // the third block sees the residual 256 and the dense 3 · 16 + 16
      assertArrayEquals(new long[] {320},
          store.get("conv2.3.c1x1_a.bn.running_var").shape().asArray());
      assertArrayEquals(new long[] {1, 1, 96, 272},
          store.get("conv2.3.c1x1_c.conv.weight").shape().asArray());
      assertEquals(List.of(), store.entries().stream().map(VariableStore.Entry::name)
          .filter(n -> n.contains("c1x1_w_s") && !n.startsWith("conv2.1.")).toList(),
          "only the first block projects");
    }
  }
}
