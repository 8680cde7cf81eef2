package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Nets.predict;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class ActivationDropoutTest {

  private static final float[] X = {-3f, -1f, -0.25f, 0f, 0.5f, 2f, 7f, -0.5f};

  private static DoubleUnaryOperator reference(Nonlinearity act) {
    double alpha = 1.6732632423543772;
    double scale = 1.0507009873554805;
    return switch (act) {
      case NONE -> v -> v;
      case RELU -> v -> Math.max(0, v);
      case RELU6 -> v -> Math.min(6, Math.max(0, v));
      case PRELU -> v -> v >= 0 ? v : 0.25 * v;
      case ELU -> v -> v > 0 ? v : Math.expm1(v);
      case SELU -> v -> scale * (v > 0 ? v : alpha * Math.expm1(v));
      case SIGMOID -> v -> 1 / (1 + Math.exp(-v));
      case TANH -> Math::tanh;
      case SILU -> v -> v / (1 + Math.exp(-v));
      case GELU -> ActivationDropoutTest::gelu;
      case HARDSWISH -> v -> v * Math.min(6, Math.max(0, v + 3)) / 6;
      case HARDSIGMOID -> v -> Math.min(6, Math.max(0, v + 3)) / 6;
    };
  }

  /** PyTorch's {@code F.gelu} (erf form) at the points of {@link #X}, from Python's math.erf. */
  private static final double[] GELU = {-0.00404969409489031, -0.15865525393145707,
      -0.10032341857926907, 0.0, 0.34573123063700656, 1.9544997361036416, 6.999999999991041,
      -0.15426876936299344};

  private static double gelu(double v) {
    for (int i = 0; i < X.length; i++) {
      if (X[i] == v) {
        return GELU[i];
      }
    }
    throw new IllegalArgumentException("no reference for " + v);
  }

  @Test
  void everyNonlinearityMatchesItsDefinition() {
    for (Nonlinearity act : Nonlinearity.values()) {
      try (Model<Nets.Net> model = Nets.model(2, 2, 2, Mode.INFERENCE,
          (layers, x) -> layers.in("act").activation(x, act))) {
        float[] y = predict(model, X, 1, 2, 2, 2);
        DoubleUnaryOperator f = reference(act);
        for (int i = 0; i < X.length; i++) {
          assertEquals(f.applyAsDouble(X[i]), y[i], 1e-5, act + " at " + X[i]);
        }
        assertEquals(act == Nonlinearity.PRELU ? List.of("act.weight") : List.of(),
            List.copyOf(model.network().trainableVariables().keySet()));
        assertEquals(act == Nonlinearity.PRELU ? 2 : 0, model.parameterCount());
      }
    }
  }

  @Test
  void reluGradientIsExactAndKeepsNoInputOfTheRelu() {
    float[] x = Nets.gaussian(2 * 3 * 3 * 4, 5);
    float[] weights = Nets.gaussian(2 * 3 * 3 * 4, 6);
    try (Model<Nets.Net> model = Nets.model(4, 3, 3, Mode.TRAIN,
        (layers, in) -> layers.activation(layers.tf().math.mul(in, layers.tf().constant(2f)),
            Nonlinearity.RELU))) {
      float[] gradient = Nets.gradients(model, weights, List.of(model.images()), x, 2, 3, 3, 4)[0];
      for (int i = 0; i < x.length; i++) {
        assertEquals(x[i] > 0 ? 2 * weights[i] : 0f, gradient[i], 1e-6f, "at " + i);
      }
      var executed = Nets.executed(Nets.symbolicGradients(model, weights, List.of(model.images()),
          2));
      int relus = 0;
      for (var it = model.graph().operations(); it.hasNext(); ) {
        var op = it.next();
        if (op.type().equals("Relu")) {
          relus++;
          var input = (org.tensorflow.GraphOperation) op.input(0).op();
          for (var consumer : input.consumers()) {
            assertTrue(!consumer.name().startsWith("gradients")
                || !executed.contains(consumer.name()), consumer.name()
                + " reads the ReLU's input");
          }
        }
      }
      assertEquals(1, relus);
    }
  }

  @Test
  void dropoutIsInvertedInTrainingAndTheIdentityOtherwise() {
    float[] ones = new float[10 * 10 * 10];
    java.util.Arrays.fill(ones, 1f);
    try (Model<Nets.Net> model = Nets.model(10, 10, 10, Mode.TRAIN,
        (layers, x) -> layers.dropout(x, 0.4f))) {
      float[] y = predict(model, ones, 1, 10, 10, 10);
      int dropped = 0;
      for (float v : y) {
        assertTrue(v == 0f || Math.abs(v - 1 / 0.6f) < 1e-6, "value " + v);
        dropped += v == 0f ? 1 : 0;
      }
      assertEquals(400, dropped, 60);
      assertTrue(!java.util.Arrays.equals(y, predict(model, ones, 1, 10, 10, 10)),
          "a fresh mask each run");
    }
    try (Model<Nets.Net> model = Nets.model(10, 10, 10, Mode.INFERENCE,
        (layers, x) -> layers.dropout(x, 0.4f))) {
      assertArrayEquals(ones, predict(model, ones, 1, 10, 10, 10));
    }
  }
}
