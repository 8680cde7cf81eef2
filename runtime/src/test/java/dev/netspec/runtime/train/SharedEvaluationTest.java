package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.TinyNet;
import dev.netspec.runtime.VariableStore;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A model's build for evaluation shares the graph, session and variables of its training build. */
class SharedEvaluationTest {
  private static final int N = 6;

  private static TFloat32 images() {
    float[] values = new float[N * TinyNet.INPUT_HEIGHT * TinyNet.INPUT_WIDTH * 3];
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return TFloat32.tensorOf(Shape.of(N, TinyNet.INPUT_HEIGHT, TinyNet.INPUT_WIDTH, 3),
        DataBuffers.of(values, true, false));
  }

  private static float[] predict(Model<?> model, TFloat32 images) {
    try (TFloat32 out = model.predict(images)) {
      float[] values = new float[Math.toIntExact(out.size())];
      out.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  private static List<String> opNames(VariableStore store) {
    return store.entries().stream().map(e -> e.variable().op().name()).toList();
  }

  @Test
  void aTrainingStepChangesWhatEvaluationSeesWithoutACopy() {
    TrainingConfig config = new TrainingConfig(1, N, Optimizer.sgd(0.9, false),
        new Schedule.Constant(0.5), 0, false, 0, 4L, 1);
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.TRAIN, 4L);
        TFloat32 images = images();
        TInt32 labels = TInt32.tensorOf(Shape.of(N),
            DataBuffers.of(new int[] {0, 1, 1, 0, 1, 0}, true, false))) {
      Model<TinyNet> evaluation = model.forMode(Mode.INFERENCE);
      assertSame(evaluation, model.forMode(Mode.INFERENCE));
      assertSame(model, evaluation.forMode(Mode.TRAIN));
      assertEquals(opNames(model.variables()), opNames(evaluation.variables()));
      assertEquals(TinyNet.PARAMETERS, evaluation.parameterCount());

      TrainingGraph training = TrainingGraph.build(model, config);
      float[] before = predict(evaluation, images);
      for (int step = 0; step < 3; step++) {
        training.step(images, labels, step, 0.5);
      }
      float[] after = predict(evaluation, images);
      assertFalse(Arrays.equals(before, after), "the steps changed the shared weights");

      // what a separate inference model computes once given the trained weights and statistics
      try (Model<TinyNet> copy = Model.create(TinyNet.class, Mode.INFERENCE, 0L)) {
        Map<String, TFloat32> trained = model.readAll();
        try {
          copy.assign(trained);
        } finally {
          trained.values().forEach(TFloat32::close);
        }
        assertArrayEquals(predict(copy, images), after, 1e-6f);
      }
    }
  }

  @Test
  void theEvaluationBuildClosesWithItsOwner() {
    Model<TinyNet> model = Model.create(TinyNet.class, Mode.TRAIN, 1L);
    Model<TinyNet> evaluation = model.forMode(Mode.INFERENCE);
    try (TFloat32 images = images()) {
      evaluation.close(); // closes nothing the owner needs
      predict(model, images);
      model.close();
      assertThrows(IllegalStateException.class, () -> model.forMode(Mode.INFERENCE));
      assertThrows(IllegalStateException.class, () -> evaluation.predict(images));
    }
  }
}
