package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The attention units give timm's numbers: fixtures written by {@code timm/make_fixtures.py}
 * (random timm {@code SEModule}, {@code SelectiveKernel}, {@code SplitAttn} in eval mode, their
 * state dict as HWIO, an input and timm's output), loaded by variable name.
 */
class TimmParityTest {

  /** A unit built in a scope on an input. */
  private interface Unit {
    Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x);
  }

  /** A tensor of a fixture: its shape and values. */
  private record Array(long[] shape, float[] values) {}

  @Test
  void squeezeExcite() {
    assertParity("se_8_r2.txt", (scope, x) -> FamilyUnits.squeezeExcite(scope, x, 2));
  }

  @Test
  void selectiveKernelOfTwoBranches() {
    assertParity("sk_4_b2_g2_s1.txt",
        (scope, x) -> FamilyUnits.selectiveKernel(scope, x, 4, 1, 2, 2, 32));
  }

  @Test
  void selectiveKernelOfThreeBranchesAtStrideTwo() {
    assertParity("sk_4_6_b3_g2_s2.txt",
        (scope, x) -> FamilyUnits.selectiveKernel(scope, x, 6, 2, 3, 2, 32));
  }

  @Test
  void splitAttentionRadix2Cardinality2() {
    assertParity("sa_8_r2_c2_s1.txt",
        (scope, x) -> FamilyUnits.splitAttention(scope, x, 8, 1, 2, 2, 32));
  }

  @Test
  void splitAttentionRadix1() {
    assertParity("sa_8_r1_c4_s1.txt",
        (scope, x) -> FamilyUnits.splitAttention(scope, x, 8, 1, 1, 4, 32));
  }

  @Test
  void splitAttentionRadix3AtStrideTwo() {
    assertParity("sa_6_r3_c1_s2.txt",
        (scope, x) -> FamilyUnits.splitAttention(scope, x, 6, 2, 3, 1, 32));
  }

  private static void assertParity(String fixture, Unit unit) {
    Map<String, Array> arrays = read(fixture);
    Array input = arrays.remove("input");
    Array output = arrays.remove("output");
    long[] in = input.shape();
    try (Model<Nets.Net> model = Nets.model((int) in[3], (int) in[1], (int) in[2],
        Mode.INFERENCE, (layers, x) -> unit.apply(layers.in("u"), x))) {
      assertEquals(arrays.size(), model.variables().size(), "variables: " + arrays.keySet());
      Map<String, TFloat32> values = new LinkedHashMap<>();
      try {
        arrays.forEach((name, a) -> values.put("u." + name, Nets.tensor(a.values(), a.shape())));
        model.assign(values);
      } finally {
        values.values().forEach(TFloat32::close);
      }
      float[] got = Nets.predict(model, input.values(), in);
      float max = 0;
      for (float v : output.values()) {
        max = Math.max(max, Math.abs(v));
      }
      assertArrayEquals(output.values(), got, 1e-5f * Math.max(1, max), fixture);
    }
  }

  private static Map<String, Array> read(String fixture) {
    Map<String, Array> arrays = new LinkedHashMap<>();
    try (InputStream stream = TimmParityTest.class.getResourceAsStream("/timm/" + fixture);
        BufferedReader reader = new BufferedReader(
            new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] fields = line.split("\t");
        long[] shape = Arrays.stream(fields[1].split(",")).mapToLong(Long::parseLong).toArray();
        String[] numbers = fields[2].split(" ");
        float[] values = new float[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
          values[i] = Float.parseFloat(numbers[i]);
        }
        arrays.put(fields[0], new Array(shape, values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return arrays;
  }
}
