package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A memory-efficient dense block computes what the ordinary one does, forward and backward, while
 * no gradient op reads the concatenations, BatchNorms or activations its first units computed.
 */
class RecomputingDenseUnitTest {
  private static final int N = 2;
  private static final int SIDE = 6;
  private static final int CHANNELS = 5;

  @Test
  void bottleneckBlockHasTheOrdinaryOutputAndGradients() {
    assertSameAsOrdinary((layers, x) -> DenseStage.of(4, 3).bottleneck(2).apply(layers.in("b"), x));
  }

  @Test
  void blockWithoutBottleneckRecomputesBeforeA3x3Convolution() {
    assertSameAsOrdinary((layers, x) -> DenseStage.of(3, 2).bottleneck(0).apply(layers.in("b"), x));
  }

  @Test
  void squeezeExciteAndNoActivationTrainTheSame() {
    assertSameAsOrdinary((layers, x) -> DenseStage.of(4, 2).bottleneck(1)
        .squeezeExcite(SqueezeExcite.of(2)).apply(
            layers.withDefaults(Nonlinearity.NONE, 1e-3f, FanMode.FAN_IN).in("b"), x));
  }

  @Test
  void gradientOpsReadNoneOfTheRecomputedResults() {
    try (Model<Nets.Net> model = Nets.model(CHANNELS, SIDE, SIDE, Mode.TRAIN, true,
        (layers, x) -> DenseStage.of(4, 3).bottleneck(2).apply(layers.in("b"), x))) {
      List<Operand<TFloat32>> wrt = new ArrayList<>(model.network().variables().trainable()
          .values());
      java.util.Set<String> executed = Nets.executed(Nets.symbolicGradients(model,
          Nets.gaussian(N * SIDE * SIDE * (CHANNELS + 12), 3), wrt, N));
      int recomputedUnits = 0;
      for (Iterator<GraphOperation> it = model.graph().operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        String name = op.name();
        // what the first units compute, and any BatchNorm's output (read by no gradient: the
        // ReLU after it reads its own output instead)
        boolean recomputed = name.matches("b/denselayer\\d/(norm1|act1|concat|ConcatV2).*")
            && (op.type().equals("ConcatV2") || op.type().equals("FusedBatchNormV3")
                || op.type().equals("Relu"));
        boolean normalized = op.type().equals("Identity") && op.numInputs() == 1
            && op.input(0).op().type().equals("FusedBatchNormV3");
        if (recomputed || normalized) {
          for (GraphOperation consumer : op.consumers()) {
            assertTrue(!executed.contains(consumer.name())
                || !consumer.name().startsWith("gradients"), consumer.name()
                + " keeps " + name + " alive for the backward pass");
          }
        }
        if (name.contains("/recomputed/") && op.type().equals("FusedBatchNormV3")) {
          assertTrue(dependsOn(op, "FusedBatchNormGradV3"), name + " does not wait for the"
              + " gradient of the unit's output");
        }
        if (op.type().equals("IdentityN") && name.endsWith("/recomputed")) {
          recomputedUnits++;
        }
      }
      assertEquals(3, recomputedUnits);
    }
  }

  @Test
  void inferenceIsTheOrdinaryGraph() {
    try (Model<Nets.Net> model = Nets.model(CHANNELS, SIDE, SIDE, Mode.INFERENCE, true,
        (layers, x) -> DenseStage.of(4, 2).apply(layers.in("b"), x))) {
      for (Iterator<GraphOperation> it = model.graph().operations(); it.hasNext(); ) {
        assertTrue(!it.next().type().equals("IdentityN"));
      }
    }
  }

  /** Whether {@code op} reads, transitively, the output of an op of type {@code type}. */
  private static boolean dependsOn(GraphOperation op, String type) {
    java.util.Deque<GraphOperation> todo = new java.util.ArrayDeque<>(List.of(op));
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (!todo.isEmpty()) {
      GraphOperation next = todo.pop();
      if (!seen.add(next.name())) {
        continue;
      }
      if (next.type().equals(type)) {
        return true;
      }
      for (int i = 0; i < next.numInputs(); i++) {
        todo.add((GraphOperation) next.input(i).op());
      }
    }
    return false;
  }

  private static void assertSameAsOrdinary(
      BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> block) {
    float[] images = Nets.gaussian(N * SIDE * SIDE * CHANNELS, 1);
    try (Model<Nets.Net> ordinary = Nets.model(CHANNELS, SIDE, SIDE, Mode.TRAIN, false, block);
        Model<Nets.Net> efficient = Nets.model(CHANNELS, SIDE, SIDE, Mode.TRAIN, true, block)) {
      VariableStore variables = ordinary.network().variables();
      int outputs = Math.toIntExact(ordinary.network().output().shape().get(3));
      float[] outputWeights = Nets.gaussian(N * SIDE * SIDE * outputs, 2);
      float[][] expected = gradients(ordinary, outputWeights, images);
      float[][] actual = gradients(efficient, outputWeights, images);
      assertEquals(variables.trainable().size() + 1, expected.length);
      for (int i = 0; i < expected.length; i++) {
        assertClose(expected[i], actual[i], "gradient " + i);
      }
      assertClose(Nets.predict(ordinary, images, N, SIDE, SIDE, CHANNELS),
          Nets.predict(efficient, images, N, SIDE, SIDE, CHANNELS), "output");
    }
  }

  /** Gradients of every trainable variable, then of the images. */
  private static float[][] gradients(Model<Nets.Net> model, float[] outputWeights, float[] x) {
    List<Operand<TFloat32>> wrt = new ArrayList<>(model.network().variables().trainable()
        .values());
    wrt.add(model.images());
    return Nets.gradients(model, outputWeights, wrt, x, N, SIDE, SIDE, CHANNELS);
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    double scale = 0;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, scale), what + " [" + i + "]");
    }
  }
}
