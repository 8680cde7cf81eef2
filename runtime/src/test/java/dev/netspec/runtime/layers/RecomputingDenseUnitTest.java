package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Dense blocks in training compute what the ordinary block does (each layer's units with
 * TensorFlow's own gradients), forward and backward, while no gradient op reads what their
 * recomputing units compute again: {@code act1} by default, and in a memory-efficient network the
 * concatenations, {@code norm1}, {@code act1}, {@code norm2} and {@code act2}.
 */
class RecomputingDenseUnitTest {
  private static final int N = 2;
  private static final int SIDE = 6;
  private static final int CHANNELS = 5;

  /** A dense block: {@code seHidden} 0 for no squeeze-excite gate. */
  private record Block(int growth, int layers, int bottleneck, int seHidden) {
    Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x) {
      return FamilyUnits.denseBlock(scope, x, growth, layers, bottleneck, seHidden);
    }
  }

  @Test
  void bottleneckBlockHasTheOrdinaryOutputAndGradients() {
    assertSameAsOrdinary(new Block(4, 3, 2, 0), layers -> layers);
  }

  @Test
  void blockWithoutBottleneckRecomputesBeforeA3x3Convolution() {
    assertSameAsOrdinary(new Block(3, 2, 0, 0), layers -> layers);
  }

  @Test
  void squeezeExciteAndNoActivationTrainTheSame() {
    assertSameAsOrdinary(new Block(4, 2, 1, 2),
        layers -> layers.withDefaults(Nonlinearity.NONE, 1e-3f, FanMode.FAN_IN));
  }

  @ParameterizedTest(name = "memory-efficient {0}")
  @ValueSource(booleans = {false, true})
  void gradientOpsReadNoneOfTheRecomputedResults(boolean memoryEfficient) {
    try (Model<Nets.Net> model = Nets.model(CHANNELS, SIDE, SIDE, Mode.TRAIN, memoryEfficient,
        (layers, x) -> new Block(4, 3, 2, 0).apply(layers.in("b"), x))) {
      List<Operand<TFloat32>> wrt = new ArrayList<>(model.network().variables().trainable()
          .values());
      Set<String> executed = Nets.executed(Nets.symbolicGradients(model,
          Nets.gaussian(N * SIDE * SIDE * (CHANNELS + 12), 3), wrt, N));
      String recomputed = memoryEfficient
          ? "b/denselayer\\d/(norm1|act1|concat|ConcatV2|norm2|act2).*" : "b/denselayer\\d/act1.*";
      int recomputingUnits = 0;
      int recomputedOps = 0;
      for (Iterator<GraphOperation> it = model.graph().operations(); it.hasNext(); ) {
        GraphOperation op = it.next();
        String name = op.name();
        // what the recomputing units compute (a BatchNorm's output, not the batch statistics
        // its gradient reads), and any BatchNorm's output (the ReLU after it reads its own)
        boolean again = name.matches(recomputed) && (op.type().equals("ConcatV2")
            || op.type().equals("FusedBatchNormV3") || op.type().equals("Relu"));
        boolean normalized = op.type().equals("Identity") && op.numInputs() == 1
            && op.input(0).op().type().equals("FusedBatchNormV3");
        if (again || normalized) {
          recomputedOps += again ? 1 : 0;
          for (GraphOperation consumer : op.consumers(0)) {
            assertFalse(executed.contains(consumer.name())
                && consumer.name().startsWith("gradients"), consumer.name()
                + " keeps " + name + " alive for the backward pass");
          }
        }
        if (name.matches(".*/recomputed/FusedBatchNorm(_\\d+)?")
            && op.type().equals("FusedBatchNormV3")) {
          String unit = name.substring(0, name.lastIndexOf('/') + 1);
          assertTrue(dependsOn(op, o -> o.name().startsWith("gradients/")
              && !o.name().startsWith(unit)), name + " does not wait for the gradient of the"
              + " unit's output");
        }
        if (name.matches(".*/recomputed/FusedBatchNormGrad(_\\d+)?")) {
          assertTrue(dependsOn(op, o -> o.type().equals("Conv2DBackpropFilter")), name
              + " does not wait for the"
              + " filter's gradient");
        }
        if (op.type().equals("IdentityN") && name.matches(".*/recomputed")) {
          recomputingUnits++;
        }
      }
      assertEquals(memoryEfficient ? 6 : 3, recomputingUnits);
      assertTrue(recomputedOps >= recomputingUnits, "recomputed ops: " + recomputedOps);
    }
  }

  @ParameterizedTest(name = "memory-efficient {0}")
  @ValueSource(booleans = {false, true})
  void inferenceIsTheOrdinaryGraph(boolean memoryEfficient) {
    try (Model<Nets.Net> model = Nets.model(CHANNELS, SIDE, SIDE, Mode.INFERENCE,
        memoryEfficient, (layers, x) -> new Block(4, 2, 4, 0).apply(layers.in("b"), x))) {
      for (Iterator<GraphOperation> it = model.graph().operations(); it.hasNext(); ) {
        assertNotEquals("IdentityN", it.next().type());
      }
    }
  }

  /** Whether {@code op} reads, transitively, the output of an op that {@code wanted} accepts. */
  private static boolean dependsOn(GraphOperation op, Predicate<GraphOperation> wanted) {
    Deque<GraphOperation> todo = new ArrayDeque<>(List.of(op));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      GraphOperation next = todo.pop();
      if (!seen.add(next.name())) {
        continue;
      }
      if (next != op && wanted.test(next)) {
        return true;
      }
      for (int i = 0; i < next.numInputs(); i++) {
        todo.add((GraphOperation) next.input(i).op());
      }
    }
    return false;
  }

  /**
   * {@code stage} in training, by default and memory-efficient, against the ordinary block built
   * here from the same units without recomputation: the same output and gradients.
   */
  private static void assertSameAsOrdinary(Block stage, UnaryOperator<Layers> defaults) {
    float[] images = Nets.gaussian(N * SIDE * SIDE * CHANNELS, 1);
    try (Model<Nets.Net> ordinary = Nets.model(CHANNELS, SIDE, SIDE, Mode.TRAIN, false,
            (layers, x) -> ordinaryBlock(stage, defaults.apply(layers).in("b"), x));
        Model<Nets.Net> recomputing = Nets.model(CHANNELS, SIDE, SIDE, Mode.TRAIN, false,
            (layers, x) -> stage.apply(defaults.apply(layers).in("b"), x));
        Model<Nets.Net> efficient = Nets.model(CHANNELS, SIDE, SIDE, Mode.TRAIN, true,
            (layers, x) -> stage.apply(defaults.apply(layers).in("b"), x))) {
      VariableStore variables = ordinary.network().variables();
      int outputs = Math.toIntExact(ordinary.network().output().shape().get(3));
      float[] outputWeights = Nets.gaussian(N * SIDE * SIDE * outputs, 2);
      float[][] expected = gradients(ordinary, outputWeights, images);
      assertEquals(variables.trainable().size() + 1, expected.length);
      float[] output = Nets.predict(ordinary, images, N, SIDE, SIDE, CHANNELS);
      for (Model<Nets.Net> model : List.of(recomputing, efficient)) {
        float[][] actual = gradients(model, outputWeights, images);
        for (int i = 0; i < expected.length; i++) {
          assertClose(expected[i], actual[i], "gradient " + i);
        }
        assertClose(output, Nets.predict(model, images, N, SIDE, SIDE, CHANNELS), "output");
      }
    }
  }

  /** The dense block as its units define it: each layer extends the previous concatenation. */
  private static Operand<TFloat32> ordinaryBlock(Block stage, Layers scope,
      Operand<TFloat32> x) {
    Operand<TFloat32> features = x;
    for (int i = 1; i <= stage.layers(); i++) {
      Layers layer = scope.in("denselayer" + i);
      boolean bottleneck = stage.bottleneck() > 0;
      Operand<TFloat32> y = unit(layer, "1", features,
          bottleneck ? stage.bottleneck() * stage.growth() : stage.growth(), bottleneck ? 1 : 3);
      if (bottleneck) {
        y = unit(layer, "2", y, stage.growth(), 3);
      }
      if (stage.seHidden() > 0) {
        y = FamilyUnits.squeezeExcite(layer.in("se"), y, stage.seHidden());
      }
      features = scope.concat(features, y);
    }
    return features;
  }

  /** {@code norm<suffix>}, {@code act<suffix>}, {@code conv<suffix>} of primitives. */
  private static Operand<TFloat32> unit(Layers layer, String suffix, Operand<TFloat32> x,
      int channels, int kernel) {
    Operand<TFloat32> y = layer.in("act" + suffix).activation(
        layer.in("norm" + suffix).batchNorm(x), layer.activation());
    return layer.in("conv" + suffix).conv(y, channels, kernel, 1, kernel / 2, 1, 1, false);
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
