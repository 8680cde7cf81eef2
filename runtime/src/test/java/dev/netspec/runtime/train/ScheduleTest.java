package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Schedules, the configuration's metadata, and the scores. */
class ScheduleTest {

  @Test
  void cosineRunsFromTheBaseToTheFloor() {
    Schedule cosine = new Schedule.Cosine(0.1, 0.001);
    assertEquals(0.1, cosine.rate(0, 10, 100), 1e-12);
    assertEquals((0.1 + 0.001) / 2, cosine.rate(50, 10, 100), 1e-12);
    assertEquals(0.001, cosine.rate(100, 10, 100), 1e-12);
  }

  @Test
  void stepDecayMultipliesEveryFewEpochs() {
    Schedule step = new Schedule.StepDecay(0.1, 2, 0.5);
    assertEquals(0.1, step.rate(19, 10, 100), 1e-12);
    assertEquals(0.05, step.rate(20, 10, 100), 1e-12);
    assertEquals(0.025, step.rate(45, 10, 100), 1e-12);
  }

  @Test
  void warmupRampsLinearlyThenFollowsTheSchedule() {
    Schedule warm = new Schedule.Warmup(new Schedule.Constant(0.2), 1);
    assertEquals(0.02, warm.rate(0, 10, 100), 1e-12);
    assertEquals(0.1, warm.rate(4, 10, 100), 1e-12);
    assertEquals(0.2, warm.rate(9, 10, 100), 1e-12);
    assertEquals(0.2, warm.rate(50, 10, 100), 1e-12);
  }

  @Test
  void badSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Schedule.Constant(0));
    assertThrows(IllegalArgumentException.class, () -> new Schedule.Cosine(0.1, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new Schedule.StepDecay(0.1, 0, 0.1));
    assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(0, true));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        new TrainingConfig(0, 64, Optimizer.adam(), new Schedule.Constant(0.1), 0, false, 0, 1, 1));
    assertTrue(e.getMessage().contains("epochs must be at least 1"), e.getMessage());
  }

  @Test
  void theConfigurationSurvivesACheckpointsMetadata() {
    TrainingConfig sgd = new TrainingConfig(7, 32, Optimizer.sgd(0.8, true),
        new Schedule.Warmup(new Schedule.StepDecay(0.3, 3, 0.2), 0.5), 1e-4, true, 0.05, 99, 4);
    TrainingConfig adam = new TrainingConfig(2, 8, new Optimizer.Adam(0.8, 0.99, 1e-6, true),
        new Schedule.Cosine(0.01, 0.0001), 0.02, false, 0, -3, 1);
    for (TrainingConfig config : new TrainingConfig[] {sgd, adam}) {
      Map<String, String> metadata = config.toMetadata();
      assertEquals(config, TrainingConfig.fromMetadata(metadata));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingConfig.fromMetadata(Map.of("optimizer", "sgd")));
    assertTrue(e.getMessage().contains("has no 'momentum'"), e.getMessage());
  }

  @Test
  void scoresCountTopOneTopFiveAndCrossEntropy() {
    float[] logits = {
        5, 1, 0, 0, 0, 0, // label 0: top-1
        0, 1, 2, 3, 4, 5, // label 1: 5th largest, so top-5 but not top-1
        6, 5, 4, 3, 2, 1, // label 5: smallest
    };
    Scores scores = new Scores();
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(3, 6), DataBuffers.of(logits, true, false))) {
      scores.add(t, new int[] {0, 1, 5});
    }
    assertEquals(3, scores.examples());
    assertEquals(1 / 3.0, scores.top1(), 1e-12);
    assertEquals(2 / 3.0, scores.top5(), 1e-12);
    double expected = 0;
    int[] labels = {0, 1, 5};
    for (int n = 0; n < 3; n++) {
      double sum = 0;
      for (int k = 0; k < 6; k++) {
        sum += Math.exp(logits[n * 6 + k]);
      }
      expected += Math.log(sum) - logits[n * 6 + labels[n]];
    }
    assertEquals(expected / 3, scores.meanLoss(), 1e-9);
  }
}
