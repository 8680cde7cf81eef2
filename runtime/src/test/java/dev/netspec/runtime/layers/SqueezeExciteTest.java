package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/** The squeeze-excite gate: its width, its variables and what it computes. */
class SqueezeExciteTest {

  /** Scales each channel by sigmoid(fc2(relu(fc1(mean)))), computed here by hand. */
  @Test
  void scalesEachChannelByItsGate() {
    try (Model<Nets.Net> model = Nets.model(2, 2, 2, Mode.INFERENCE,
        (layers, x) -> FamilyUnits.squeezeExcite(layers.in("se"), x, 1))) {
      assertEquals(2 * 1 + 1 + 1 * 2 + 2, model.parameterCount());
      try (TFloat32 w1 = Nets.tensor(new float[] {1, -1}, 1, 1, 2, 1);
          TFloat32 b1 = Nets.tensor(new float[] {0.5f}, 1);
          TFloat32 w2 = Nets.tensor(new float[] {2, -3}, 1, 1, 1, 2);
          TFloat32 b2 = Nets.tensor(new float[] {0, 1}, 2)) {
        model.assign(Map.of("se.fc1.weight", w1, "se.fc1.bias", b1, "se.fc2.weight", w2,
            "se.fc2.bias", b2));
      }
      // channel 0: 1, 2, 3, 4 (mean 2.5); channel 1: 0, 0, 0, 4 (mean 1)
      float[] x = {1, 0, 2, 0, 3, 0, 4, 4};
      float[] y = Nets.predict(model, x, 1, 2, 2, 2);
      double hidden = Math.max(0, 2.5 - 1 + 0.5);
      double g0 = 1 / (1 + Math.exp(-(2 * hidden)));
      double g1 = 1 / (1 + Math.exp(-(-3 * hidden + 1)));
      float[] expected = new float[8];
      for (int i = 0; i < 8; i++) {
        expected[i] = (float) (x[i] * (i % 2 == 0 ? g0 : g1));
      }
      assertArrayEquals(expected, y, 1e-6f);
    }
  }
}
