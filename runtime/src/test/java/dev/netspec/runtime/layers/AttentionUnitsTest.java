package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.layers.AttentionReference.Map4;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The attention units against {@link AttentionReference}: forward values, and TensorFlow's
 * gradients with respect to the input and every trainable variable against central differences
 * of the reference in double precision (random weights and BatchNorm statistics, inference mode).
 */
class AttentionUnitsTest {
  private static final int BATCH = 2;
  /** Small enough that no ReLU input crosses zero within a step, in double precision. */
  private static final double STEP = 1e-6;

  @FunctionalInterface
  interface Unit {
    Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x);
  }

  @FunctionalInterface
  interface Reference {
    Map4 apply(Map4 x, Map<String, double[]> parameters);
  }

  @Test
  void squeezeExcite() {
    VariableStore store = check(5, 8, (scope, x) -> FamilyUnits.squeezeExcite(scope, x, 2),
        (x, p) -> AttentionReference.squeezeExcite(x, p, "u.", 2), 11);
    assertEquals(Shape.of(1, 1, 8, 2), store.get("u.fc1.weight").shape());
    assertEquals(Shape.of(8), store.get("u.fc2.bias").shape());
  }

  @ParameterizedTest(name = "{0}x{0}x{1} -> {2}, stride {3}, {4} branches, {5} groups")
  @CsvSource({"6, 4, 4, 1, 2, 2", "7, 4, 6, 2, 3, 2", "5, 3, 3, 1, 1, 1"})
  void selectiveKernel(int size, int in, int out, int stride, int branches, int groups) {
    int attention = 8;
    VariableStore store = check(size, in,
        (scope, x) -> FamilyUnits.selectiveKernel(scope, x, out, stride, branches, groups, attention),
        (x, p) -> AttentionReference.selectiveKernel(x, p, "u.", out, stride, branches, groups,
            attention), 20 + size);
    assertEquals(Shape.of(3, 3, in / groups, out), store.get("u.paths.0.conv.weight").shape());
    assertEquals(Shape.of(1, 1, out, 8), store.get("u.attn.fc_reduce.weight").shape());
    assertEquals(Shape.of(1, 1, 8, out * branches), store.get("u.attn.fc_select.weight").shape());
  }

  @ParameterizedTest(name = "{0}x{0}x{1} -> {1}, stride {2}, radix {3}, cardinality {4}")
  @CsvSource({"6, 8, 1, 2, 2", "5, 4, 1, 1, 1", "7, 6, 2, 3, 1", "6, 8, 1, 1, 4"})
  void splitAttention(int size, int channels, int stride, int radix, int cardinality) {
    int attention = 32;
    VariableStore store = check(size, channels, (scope, x) ->
        FamilyUnits.splitAttention(scope, x, channels, stride, radix, cardinality, attention),
        (x, p) -> AttentionReference.splitAttention(x, p, "u.", channels, stride, radix,
            cardinality, attention), 40 + size);
    assertEquals(Shape.of(3, 3, channels / (radix * cardinality), channels * radix),
        store.get("u.conv.weight").shape());
    assertEquals(Shape.of(1, 1, channels / cardinality, 32), store.get("u.fc1.weight").shape());
    assertEquals(Shape.of(channels * radix), store.get("u.fc2.bias").shape());
  }

  /**
   * Builds the unit on a {@code size × size × channels} input, gives every variable random
   * values, and compares outputs and gradients with the reference.
   */
  private static VariableStore check(int size, int channels, Unit unit, Reference reference,
      long seed) {
    try (Model<Nets.Net> model = Nets.model(channels, size, size, Mode.INFERENCE,
        (layers, x) -> unit.apply(layers.in("u"), x))) {
      Map<String, double[]> parameters = randomize(model, seed);
      float[] x = Nets.gaussian(BATCH * size * size * channels, seed + 1);
      Map4 input = new Map4(Nets.doubles(x), BATCH, size, size, channels);
      Map4 expected = reference.apply(input, parameters);
      float[] got = Nets.predict(model, x, BATCH, size, size, channels);
      assertArrayEquals(Nets.floats(expected.v()), got, tolerance(expected.v()), "forward");

      double[] r = Nets.doubles(Nets.gaussian(got.length, seed + 2));
      List<String> names = new ArrayList<>(model.network().trainableVariables().keySet());
      List<Operand<TFloat32>> wrt = new ArrayList<>();
      wrt.add(model.images());
      names.forEach(name -> wrt.add(model.network().trainableVariables().get(name)));
      float[][] gradients = Nets.gradients(model, Nets.floats(r), wrt, x, BATCH, size, size,
          channels);
      double[] byInput = Nets.finiteDifferences(
          xd -> dot(r, reference.apply(new Map4(xd, BATCH, size, size, channels), parameters)),
          input.v().clone(), STEP);
      assertArrayEquals(Nets.floats(byInput), gradients[0], tolerance(byInput), "d loss / d input");
      for (int i = 0; i < names.size(); i++) {
        // the reference reads the perturbed array through the map
        double[] byVariable = Nets.finiteDifferences(
            ignored -> dot(r, reference.apply(input, parameters)), parameters.get(names.get(i)),
            STEP);
        assertArrayEquals(Nets.floats(byVariable), gradients[i + 1], tolerance(byVariable),
            "d loss / d " + names.get(i));
      }
      return model.variables();
    }
  }

  /** Random values for every variable, assigned to the model and returned by name. */
  private static Map<String, double[]> randomize(Model<Nets.Net> model, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, double[]> values = new LinkedHashMap<>();
    Map<String, TFloat32> tensors = new LinkedHashMap<>();
    try {
      for (VariableStore.Entry entry : model.variables().entries()) {
        float[] v = new float[Math.toIntExact(entry.size())];
        for (int i = 0; i < v.length; i++) {
          double g = random.nextGaussian();
          v[i] = (float) (entry.name().endsWith("running_var") ? 0.5 + 0.5 * Math.abs(g)
              : entry.name().endsWith("running_mean") ? 0.2 * g : 0.4 * g);
        }
        values.put(entry.name(), Nets.doubles(v));
        tensors.put(entry.name(), Nets.tensor(v, entry.shape().asArray()));
      }
      model.assign(tensors);
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
    return values;
  }

  /** float32 rounding relative to the largest value. */
  private static float tolerance(double[] expected) {
    double max = 0;
    for (double v : expected) {
      max = Math.max(max, Math.abs(v));
    }
    return (float) (1e-4 * Math.max(1, max));
  }

  private static double dot(double[] r, Map4 y) {
    double sum = 0;
    for (int i = 0; i < r.length; i++) {
      sum += r[i] * y.v()[i];
    }
    return sum;
  }
}
