package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Nets.gaussian;
import static dev.netspec.runtime.layers.Nets.predict;
import static dev.netspec.runtime.layers.Nets.read;
import static dev.netspec.runtime.layers.Nets.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Builds of one network into one graph share its variables by name. */
class SharedVariablesTest {

  private static final int N = 4;
  private static final int H = 3;
  private static final int W = 3;
  private static final int C = 2;
  private static final float EPS = 1e-5f;

  /** A conv, a BatchNorm, a dropout and a linear layer: every kind of variable and the seed. */
  private static VariableStore build(Ops tf, Operand<TFloat32> x, Mode mode) {
    Layers layers = Layers.create(tf, mode);
    Operand<TFloat32> y = layers.in("conv").conv(x, 4, 3, 1, 1, 1, 1, false);
    y = layers.in("bn").batchNorm(y, EPS, 0.1f);
    y = layers.in("drop").dropout(layers.globalPool(y, Pooling.AVG), 0.5f);
    layers.in("fc").linear(y, 3, true);
    return layers.store();
  }

  private static List<String> opNames(VariableStore store) {
    return store.entries().stream().map(e -> e.variable().op().name()).toList();
  }

  private static long count(Graph graph, String type) {
    long n = 0;
    for (var ops = graph.operations(); ops.hasNext(); ) {
      if (((GraphOperation) ops.next()).type().equals(type)) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aSecondBuildUsesTheFirstBuildsVariablesAndKeepsItsOwnUpdates() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, H, W, C)));
      VariableStore training = build(tf, x, Mode.TRAIN);
      VariableStore inference = build(tf, x, Mode.INFERENCE);
      VariableStore again = build(tf, x, Mode.TRAIN);

      assertEquals(List.of("conv.weight", "bn.weight", "bn.bias", "bn.running_mean",
          "bn.running_var", "fc.weight", "fc.bias"),
          training.entries().stream().map(VariableStore.Entry::name).toList());
      assertEquals(opNames(training), opNames(inference));
      assertEquals(opNames(training), opNames(again));
      assertEquals(training.size(), count(graph, "VariableV2"));
      assertEquals(1, count(graph, "PlaceholderWithDefault"), "one dropout seed input");
      assertEquals(2, training.updateOps().size());
      assertTrue(inference.updateOps().isEmpty());
      assertEquals(2, again.updateOps().size());
      assertFalse(again.updateOps().get(0).op().name().equals(
          training.updateOps().get(0).op().name()));
    }
  }

  @Test
  void aBuildWhoseShapesDisagreeIsRefusedWithBoth() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> x =
          tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, H, W, C)));
      Layers.create(tf, Mode.TRAIN).in("c").conv(x, 4, 3, 1, 1, 1, 1, false);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Layers.create(tf, Mode.INFERENCE).in("c").conv(x, 8, 3, 1, 1, 1, 1, false));
      assertTrue(e.getMessage().contains("'c.weight' is [3, 3, 2, 8] and trainable here but"
          + " [3, 3, 2, 4] and trainable in the network built earlier"), e.getMessage());
    }
  }

  @Test
  void batchNormInInferenceUsesTheRunningStatisticsTrainingUpdated() {
    try (Model<Nets.Net> model = Nets.model(C, H, W, Mode.TRAIN,
        (layers, x) -> layers.in("bn").batchNorm(x, EPS, 0.1f))) {
      Model<Nets.Net> evaluation = model.forMode(Mode.INFERENCE);
      float[] gamma = {1.5f, 0.5f};
      float[] beta = {0.25f, -1f};
      try (TFloat32 g = tensor(gamma, C); TFloat32 b = tensor(beta, C)) {
        model.assign(Map.of("bn.weight", g, "bn.bias", b));
      }
      float[] x = gaussian(N * H * W * C, 7);
      for (int step = 0; step < 3; step++) {
        predict(model, x, N, H, W, C); // each TRAIN run updates the running statistics
      }
      float[] mean = read(model, "bn.running_mean");
      float[] variance = read(model, "bn.running_var");
      assertFalse(mean[0] == 0f || variance[0] == 1f, "training moved the statistics");

      float[] y = predict(evaluation, x, N, H, W, C);
      for (int i = 0; i < x.length; i++) {
        int c = i % C;
        double expected = (x[i] - mean[c]) / Math.sqrt(variance[c] + EPS) * gamma[c] + beta[c];
        assertEquals(expected, y[i], 1e-5, "y[" + i + "]");
      }
      assertArrayEquals(mean, read(model, "bn.running_mean"), "evaluation updates nothing");
      assertTrue(evaluation.network().updateOps().isEmpty());
    }
  }

  @Test
  void aModeThatNeedsAVariableTheFirstBuildLacksIsRefused() {
    try (Model<Nets.Net> model = Model.create((tf, images, mode) -> {
      Layers layers = Layers.create(tf, mode);
      List<Operand<TFloat32>> parts = new ArrayList<>(List.of(images));
      if (mode == Mode.INFERENCE) {
        parts.add(layers.in("extra").batchNorm(images, EPS, 0.1f));
      }
      return new Nets.Net(layers.concat(parts), layers.store());
    }, C, H, W, Mode.TRAIN, 1L)) {
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> model.forMode(Mode.INFERENCE));
      assertTrue(e.getMessage().contains("'extra.weight', which its build for TRAIN lacks"),
          e.getMessage());
    }
  }
}
