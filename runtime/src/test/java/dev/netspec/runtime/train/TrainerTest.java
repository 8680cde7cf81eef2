package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.data.DataSource;
import dev.netspec.runtime.data.DataSplits;
import dev.netspec.runtime.data.Dataset;
import dev.netspec.runtime.data.Image;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.io.NonFiniteCopy;
import dev.netspec.runtime.io.SafeTensors;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.types.TFloat32;

/** Training end to end on a tiny network and synthetic shapes: learning, checkpoints, resume. */
class TrainerTest {
  private static final DataSource SHAPES = DataSource.synthetic(3, 480, 160);

  @TempDir Path temp;

  private static TrainingConfig config(Optimizer optimizer, double rate, int epochs) {
    return new TrainingConfig(epochs, 32, optimizer,
        new Schedule.Warmup(new Schedule.Cosine(rate, 0), 0.5), 5e-4, false, 0.1, 11, 2);
  }

  /** Records every step's loss. */
  private static final class Losses implements Trainer.Listener {
    final List<Double> steps = new ArrayList<>();

    @Override
    public void batch(int epoch, int batch, int batches, TrainingGraph.StepResult step,
        double learningRate, double imagesPerSecond) {
      steps.add(step.loss());
    }
  }

  @Test
  void lossFallsAndEveryEpochLeavesACheckpointMetricsAndAPlot() throws Exception {
    Losses losses = new Losses();
    Path out = temp.resolve("run");
    DataSplits colours = new DataSplits(new ColorClasses(480, 1), new ColorClasses(160, 2));
    Trainer.Result result = Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, colours,
        config(Optimizer.sgd(0.9, true), 0.1, 3), new Trainer.Options(out, 2, 16), losses);

    List<Double> l = losses.steps;
    assertEquals(3 * (480 / 32), l.size());
    double first = l.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
    double last = l.subList(l.size() - 5, l.size()).stream().mapToDouble(d -> d).average()
        .orElseThrow();
    assertTrue(last < 0.6 * first, "the loss fell from " + first + " to " + last);
    assertTrue(result.last().validationTop1() > 0.5,
        "well above chance (0.1): " + result.last().validationTop1());
    assertEquals(3, result.last().epoch());

    // the last two epochs and the best are kept
    assertFalse(Files.exists(out.resolve("epoch-0001.safetensors")));
    assertTrue(Files.exists(out.resolve("epoch-0002.safetensors")));
    assertTrue(Files.exists(out.resolve("epoch-0003.safetensors")));
    assertTrue(Files.exists(out.resolve("best.safetensors")));
    Checkpoint checkpoint = Checkpoint.open(out.resolve("epoch-0003.safetensors"));
    assertEquals(ShapesNet.class.getName(), checkpoint.network());
    assertEquals("3", checkpoint.metadata().get("epoch"));
    assertEquals(Long.toString(3 * 15), checkpoint.metadata().get("step"));
    assertTrue(checkpoint.shapes().containsKey("optimizer.momentum_buffer.conv1.conv.weight"),
        checkpoint.shapes().keySet().toString());
    assertTrue(checkpoint.shapes().containsKey("conv1.bn.running_mean"));
    try (var files = Files.list(out)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    List<MetricsLog.Row> rows = MetricsLog.read(out.resolve("metrics.csv"));
    assertEquals(3, rows.stream().filter(r -> r.phase().equals("val")).count());
    MetricsLog.Row val = rows.get(rows.size() - 1);
    assertEquals(result.last().validationTop1(), val.top1(), 1e-5);
    BufferedImage plot = ImageIO.read(out.resolve("metrics.png").toFile());
    assertEquals(900, plot.getWidth());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sgd", "adamw"})
  void aResumedRunTakesTheStepsAnUninterruptedOneTakes(String kind) throws Exception {
    Optimizer optimizer = kind.equals("sgd") ? Optimizer.sgd(0.9, true) : Optimizer.adamW();
    double rate = kind.equals("sgd") ? 0.05 : 0.003;
    TrainingConfig config = config(optimizer, rate, 2);
    Losses whole = new Losses();
    Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, config, new Trainer.Options(temp.resolve("whole"), 1,
        16), whole);

    Path interrupted = temp.resolve("interrupted");
    Losses before = new Losses();
    RuntimeException stop = assertThrows(IllegalStateException.class, () ->
        Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, config, new Trainer.Options(interrupted, 1, 16),
            new Trainer.Listener() {
              @Override
              public void batch(int epoch, int batch, int batches, TrainingGraph.StepResult step,
                  double learningRate, double imagesPerSecond) {
                before.batch(epoch, batch, batches, step, learningRate, imagesPerSecond);
              }

              @Override
              public void epoch(Trainer.EpochSummary summary) {
                throw new IllegalStateException("killed after epoch " + summary.epoch());
              }
            }));
    assertEquals("killed after epoch 1", stop.getMessage());

    Losses after = new Losses();
    Checkpoint checkpoint = Checkpoint.open(RunDirectory.latest(interrupted));
    Trainer.Result resumed = Trainer.resume(ShapesNet.DESCRIPTOR, checkpoint, 0,
        new Trainer.Options(interrupted, 1, 16), after);

    int perEpoch = 480 / 32;
    assertEquals(whole.steps.subList(0, perEpoch), before.steps);
    assertEquals(whole.steps.subList(perEpoch, 2 * perEpoch), after.steps,
        "every step after resuming has the loss of the uninterrupted run");
    assertEquals(2, resumed.last().epoch());
    // weights, BatchNorm statistics and optimizer state agree bit for bit
    SafeTensors a = SafeTensors.open(temp.resolve("whole/epoch-0002.safetensors"));
    SafeTensors b = SafeTensors.open(interrupted.resolve("epoch-0002.safetensors"));
    assertEquals(a.names(), b.names());
    Map<String, TFloat32> x = a.read(a.names());
    Map<String, TFloat32> y = b.read(b.names());
    try {
      for (String name : a.names()) {
        assertArrayEquals(values(x.get(name)), values(y.get(name)), 0f, name);
      }
    } finally {
      x.values().forEach(TFloat32::close);
      y.values().forEach(TFloat32::close);
    }
    // the resumed run's metrics continue the interrupted one's, without repeating a step
    List<MetricsLog.Row> rows = MetricsLog.read(interrupted.resolve("metrics.csv"));
    for (int i = 1; i < rows.size(); i++) {
      assertTrue(rows.get(i).step() >= rows.get(i - 1).step(), "steps in order at row " + i);
    }
    assertEquals(2, rows.stream().filter(r -> r.phase().equals("val")).count());
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
    return v;
  }

  @Test
  void aNonFiniteLossStopsTheRunAndLeavesTheLastCheckpointAlone() throws Exception {
    DataSplits clean = SHAPES.open(3);
    AtomicBoolean poisoned = new AtomicBoolean();
    DataSplits data = new DataSplits(new Poisonable(clean.train(), poisoned), clean.validation());
    Path out = temp.resolve("diverging");
    AtomicReference<byte[]> saved = new AtomicReference<>();
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
        Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, data, config(Optimizer.sgd(0.9, true), 0.05, 3),
            new Trainer.Options(out, 1, 16), new Trainer.Listener() {
              @Override
              public void epoch(Trainer.EpochSummary summary) {
                try {
                  saved.set(Files.readAllBytes(summary.checkpoint()));
                } catch (java.io.IOException io) {
                  throw new IllegalStateException(io);
                }
                poisoned.set(true); // from the second epoch on
              }
            }));
    assertTrue(e.getMessage().contains("at epoch 2, batch 1"), e.getMessage());
    assertTrue(e.getMessage().contains("The last finite checkpoint, "
        + out.resolve("epoch-0001.safetensors") + ", is untouched"), e.getMessage());
    assertArrayEquals(saved.get(), Files.readAllBytes(out.resolve("epoch-0001.safetensors")));
    assertFalse(Files.exists(out.resolve("epoch-0002.safetensors")));
  }

  @Test
  void aDivergedRunNamesTheLastCheckpointThatReallyIsFinite() throws Exception {
    DataSplits clean = SHAPES.open(3);
    AtomicBoolean poisoned = new AtomicBoolean();
    DataSplits data = new DataSplits(new Poisonable(clean.train(), poisoned), clean.validation());
    Path out = temp.resolve("older");
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
        Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, data, config(Optimizer.sgd(0.9, true), 0.05, 3),
            new Trainer.Options(out, 1, 16), new Trainer.Listener() {
              @Override
              public void epoch(Trainer.EpochSummary summary) {
                if (summary.epoch() == 2) {
                  try { // as a run before the finite check could leave it
                    NonFiniteCopy.write(summary.checkpoint(), summary.checkpoint(),
                        "conv3.bn.running_var");
                  } catch (IOException io) {
                    throw new UncheckedIOException(io);
                  }
                  poisoned.set(true);
                }
              }
            }));
    assertTrue(e.getMessage().contains("at epoch 3, batch 1"), e.getMessage());
    assertTrue(e.getMessage().contains("The last finite checkpoint, "
        + out.resolve("epoch-0001.safetensors") + ", is untouched"), e.getMessage());
  }

  @Test
  void weightsThatStopBeingFiniteStopTheRunAndAreNeverSaved() throws Exception {
    // a learning rate so high that BatchNorm's running variance overflows while the loss (of
    // batch statistics) stays finite
    Path out = temp.resolve("exploding");
    TrainingConfig exploding = new TrainingConfig(3, 32, Optimizer.sgd(0.9, true),
        new Schedule.Warmup(new Schedule.Cosine(1e4, 0), 20), 5e-4, false, 0.1, 11, 3);
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () ->
        Trainer.train(ShapesNet.DESCRIPTOR, DataSource.synthetic(3, 256, 64), exploding,
            new Trainer.Options(out, 1, 16), null));
    String message = e.getMessage();
    Matcher named = Pattern.compile("The last finite checkpoint, (.+), is untouched")
        .matcher(message);
    if (named.find()) {
      Path last = Path.of(named.group(1));
      assertTrue(NonFiniteCopy.allFinite(last), last + " is finite");
      Checkpoint.open(last).checkFinite();
    } else {
      assertTrue(message.contains("No finite checkpoint had been written."), message);
    }
    assertTrue(message.contains("running_var"), message);
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
        assertTrue(NonFiniteCopy.allFinite(file), file + " is finite");
      }
    }
  }

  @Test
  void anUnwritableOutputFolderIsRefusedBeforeTraining() throws Exception {
    Path file = Files.writeString(temp.resolve("notes.txt"), "a file, not a folder");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        Trainer.train(ShapesNet.DESCRIPTOR, SHAPES, config(Optimizer.sgd(0.9, true), 0.1, 1),
            new Trainer.Options(file.resolve("run"), 1, 16), null));
    assertTrue(e.getMessage().contains("notes.txt exists and is not a folder"), e.getMessage());
    assertTrue(e.getMessage().contains("choose another --out"), e.getMessage());
    assertEquals("a file, not a folder", Files.readString(file));
  }

  /** A dataset whose images turn into NaN once the flag is set (a corrupt source). */
  private record Poisonable(Dataset data, AtomicBoolean poisoned) implements Dataset {
    @Override
    public int size() {
      return data.size();
    }

    @Override
    public List<String> classNames() {
      return data.classNames();
    }

    @Override
    public int channels() {
      return data.channels();
    }

    @Override
    public int label(int index) {
      return data.label(index);
    }

    @Override
    public Image image(int index) {
      Image image = data.image(index);
      if (!poisoned.get()) {
        return image;
      }
      float[] broken = new float[image.pixels().length];
      Arrays.fill(broken, Float.NaN);
      return new Image(image.height(), image.width(), image.channels(), broken);
    }

    @Override
    public String describe() {
      return "poisonable " + data.describe();
    }
  }
}
