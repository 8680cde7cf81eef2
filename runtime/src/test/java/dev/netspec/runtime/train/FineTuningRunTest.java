package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.netspec.runtime.data.DataSource;
import dev.netspec.runtime.io.NameRules;
import dev.netspec.runtime.io.SafeTensors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** A fine-tuning run end to end: started from a run folder, recorded, resumed exactly. */
class FineTuningRunTest {
  private static final DataSource SHAPES = DataSource.synthetic(3, 128, 64);

  @TempDir Path temp;

  private static TrainingConfig config(int epochs) {
    return new TrainingConfig(epochs, 32, Optimizer.sgd(0.9, true), new Schedule.Constant(0.05),
        5e-4, false, 0.1, 11, 2);
  }

  @Test
  void aResumedFineTuningRunKeepsFreezingAndTheRateScaleAndRecordsWhereItStarted() {
    Path pretrained = temp.resolve("pretrained");
    Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, config(1),
        new Trainer.Options(pretrained, 1, 32), null);
    FineTuning tuning = FineTuning.from(pretrained, NameRules.identity())
        .freezingThrough("conv1").withPretrainedLearningRateScale(0.5);

    Path whole = temp.resolve("whole");
    Trainer.Plan[] plan = new Trainer.Plan[1];
    Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, config(2).withFineTuning(tuning),
        new Trainer.Options(whole, 1, 32), new Trainer.Listener() {
          @Override
          public void started(Trainer.Plan started) {
            plan[0] = started;
          }
        });
    assertNotNull(plan[0].initialized());
    assertEquals(pretrained.resolve(RunDirectory.BEST), plan[0].initialized().source());
    assertEquals(ShapesNet.PARAMETERS - 464, plan[0].trainedParameters());

    Path interrupted = temp.resolve("interrupted");
    Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, config(1).withFineTuning(tuning),
        new Trainer.Options(interrupted, 1, 32), null);
    SafeTensors first = SafeTensors.open(interrupted.resolve("epoch-0001.safetensors"));
    Map<String, String> recorded = first.metadata();
    assertEquals(pretrained.toAbsolutePath().toString(), recorded.get("init"));
    assertEquals(pretrained.resolve(RunDirectory.BEST).toAbsolutePath().toString(),
        recorded.get("init_file"));
    assertEquals("checkpoint", recorded.get("init_format"));
    assertEquals("conv1", recorded.get("freeze_through"));
    assertEquals("0.5", recorded.get("pretrained_lr_scale"));
    assertEquals("", recorded.get(InitRecord.FRESH));
    // a frozen stage has no optimizer state
    assertFalse(first.names().contains("optimizer.momentum_buffer.conv1.conv.weight"));

    Trainer.resume(ShapesNet.DESCRIPTOR,
        dev.netspec.runtime.io.Checkpoint.open(interrupted.resolve("epoch-0001.safetensors")), 2,
        new Trainer.Options(interrupted, 1, 32), null);

    SafeTensors a = SafeTensors.open(whole.resolve("epoch-0002.safetensors"));
    SafeTensors b = SafeTensors.open(interrupted.resolve("epoch-0002.safetensors"));
    SafeTensors start = SafeTensors.open(pretrained.resolve(RunDirectory.BEST));
    assertEquals(a.names(), b.names());
    for (String name : a.names()) {
      assertArrayEquals(values(a, name), values(b, name), 0f, name);
    }
    for (String name : List.of("conv1.conv.weight", "conv1.bn.running_mean")) {
      assertArrayEquals(values(start, name), values(b, name), 0f, name + " is frozen");
    }
    assertFalse(Arrays.equals(values(start, "conv2.conv.weight"),
        values(b, "conv2.conv.weight")));
  }

  private static float[] values(SafeTensors file, String name) {
    try (TFloat32 tensor = file.read(name)) {
      float[] values = new float[(int) tensor.shape().size()];
      tensor.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }
}
