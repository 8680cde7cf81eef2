package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.train.Optimizer;
import dev.netspec.runtime.train.Schedule;
import dev.netspec.runtime.train.TrainingConfig;
import dev.netspec.runtime.train.TrainingGraph;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A network of the zoo's user blocks trains: every new primitive (LayerNorm, GELU, layer scale,
 * stochastic depth, depthwise convolutions, squeeze-excite gates, hard swish) passes gradients,
 * and Adam lowers the loss on a fixed batch.
 */
class ModernBlocksTrainingTest {
  private static final int BATCH = 8;
  private static final int CLASSES = 4;
  private static final int STEPS = 40;

  @Test
  void adamLowersTheLoss() {
    TrainingConfig config = new TrainingConfig(1, BATCH, Optimizer.adam(),
        new Schedule.Constant(3e-3), 0, false, 0, 7L, 1);
    try (Model<TinyModern> model = Model.create(TinyModern.class, Mode.TRAIN, 7L);
        TFloat32 images = ZooTest.randomImages(BATCH, TinyModern.DESCRIPTOR.input());
        TInt32 labels = TInt32.tensorOf(Shape.of(BATCH))) {
      for (int i = 0; i < BATCH; i++) {
        labels.setInt(i % CLASSES, i);
      }
      TrainingGraph training = TrainingGraph.build(model, config);
      List<Double> losses = new ArrayList<>();
      for (int step = 0; step < STEPS; step++) {
        losses.add(training.step(images, labels, step, 3e-3).loss());
      }
      double first = losses.get(0);
      double last = losses.get(STEPS - 1);
      assertTrue(losses.stream().allMatch(Double::isFinite), losses.toString());
      assertTrue(last < 0.5 * first, "loss fell from " + first + " to " + last + ": " + losses);
    }
  }
}
