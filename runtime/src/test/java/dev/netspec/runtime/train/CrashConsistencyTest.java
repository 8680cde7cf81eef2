package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.data.BatchLoader;
import dev.netspec.runtime.data.DataSource;
import dev.netspec.runtime.data.Transform;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.io.Classifier;
import dev.netspec.runtime.io.FaultInjection;
import dev.netspec.runtime.io.ModelInfo;
import dev.netspec.runtime.io.SafetensorsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run killed at any step of an epoch's end, in a JVM of its own halted as {@code kill -9}
 * would halt it, leaves a folder that {@code evaluate} (the best checkpoint of the folder) and
 * {@code --resume} take to exactly what the uninterrupted run gives: the same metrics rows, the
 * same checkpoints, the same best and the same scores.
 */
class CrashConsistencyTest {
  /** Every kill point of an epoch's end, in order, and a torn training row mid-epoch. */
  static List<String> killPoints() {
    return List.of(
        // the first epoch, which is always the best so far
        "epoch-end:saved#1", "torn:val-row#1",
        // a torn training row in the second epoch (a row per step, 10 steps an epoch)
        "torn:train-row#14",
        // every step of the last epoch's end
        "rename:epoch-0002.safetensors", "epoch-end:saved#2", "rename:best.safetensors#2",
        "epoch-end:best#2", "epoch-end:pruned#2", "rename:metrics.png#2",
        "epoch-end:plotted#2", "torn:val-row#2", "epoch-end:done#2");
  }

  @TempDir static Path temp;
  static Path data;
  static Path reference;
  /** The uninterrupted run's checkpoint of each epoch, and its scores. */
  static final Map<Integer, Path> referenceEpochs = new HashMap<>();
  static List<MetricsLog.Row> referenceRows;
  static ExecutorService children;
  static final Map<String, Future<Integer>> killed = new HashMap<>();

  @BeforeAll
  static void killRunsAndTrainTheUninterruptedOne() throws IOException {
    data = temp.resolve("colours");
    KilledRun.writeData(data);
    // the killed runs go on in child JVMs, two at a time, while this one trains the reference
    children = Executors.newFixedThreadPool(2);
    for (String point : killPoints()) {
      Path folder = folder(point);
      killed.put(point, children.submit(() -> runKilled(point, folder)));
    }
    reference = temp.resolve("uninterrupted");
    Path copies = Files.createDirectories(temp.resolve("epochs"));
    KilledRun.train(reference, data, new Trainer.Listener() {
      @Override
      public void epoch(Trainer.EpochSummary summary) {
        try {
          referenceEpochs.put(summary.epoch(), Files.copy(summary.checkpoint(),
              copies.resolve(summary.checkpoint().getFileName())));
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    referenceRows = MetricsLog.read(reference.resolve("metrics.csv"));
    assertTrue(validationTop1(2) > validationTop1(1), "the second epoch is the better one, so "
        + "that its end copies the best: " + referenceRows);
  }

  @AfterAll
  static void stopChildren() {
    children.shutdownNow();
  }

  private static Path folder(String point) {
    return temp.resolve(point.replaceAll("[^A-Za-z0-9-]", "_"));
  }

  private static int runKilled(String point, Path folder) throws Exception {
    Path log = temp.resolve(folder.getFileName() + ".log");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        "-D" + FaultInjection.PROPERTY + "=" + point, KilledRun.class.getName(),
        folder.toString(), data.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!child.waitFor(3, TimeUnit.MINUTES)) {
      child.destroyForcibly();
      throw new IllegalStateException("the run to be killed at " + point + " did not end");
    }
    return child.exitValue();
  }

  @ParameterizedTest
  @MethodSource("killPoints")
  void aKilledRunRecoversToWhatTheUninterruptedRunGives(String point) throws Exception {
    Path folder = folder(point);
    int status = killed.get(point).get(3, TimeUnit.MINUTES);
    assertEquals(FaultInjection.HALTED, status, "halted at " + point + "; its output: "
        + Files.readString(temp.resolve(folder.getFileName() + ".log")));

    // evaluate, before anything repairs the folder: the best of the epochs it has
    int committed = epochOf(RunDirectory.latest(folder));
    int best = validationTop1(2) > validationTop1(1) && committed == 2 ? 2 : 1;
    Path evaluated = RunDirectory.bestCheckpoint(folder);
    assertSameTensors(referenceEpochs.get(best), evaluated);
    assertScores(evaluate(referenceEpochs.get(best)), evaluate(evaluated));

    // --resume, with a temporary file that no step of the run writes again (a kill while
    // RunDirectory.prepare probes the folder leaves one)
    Files.writeString(folder.resolve(".write-test1234.tmp"), "");
    Checkpoint latest = Checkpoint.open(RunDirectory.latest(folder));
    if (point.equals("epoch-end:done#2")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
          Trainer.resume(ShapesNet.DESCRIPTOR, latest, 0, KilledRun.options(folder), null));
      assertTrue(e.getMessage().contains("already has all 2 epochs"), e.getMessage());
    } else {
      Trainer.Result result =
          Trainer.resume(ShapesNet.DESCRIPTOR, latest, 0, KilledRun.options(folder), null);
      assertEquals(2, result.last().epoch());
      assertEquals(validationTop1(2), result.last().validationTop1(), 1e-5);
    }

    assertEquals(files(reference), files(folder), "no temporary file, no checkpoint unpruned");
    assertEquals(deterministic(referenceRows), deterministic(MetricsLog.read(
        folder.resolve("metrics.csv"))), "the same metrics rows");
    assertTrue(Files.readString(folder.resolve("metrics.csv"), StandardCharsets.UTF_8)
        .endsWith("\n"));
    assertArrayEquals(Files.readAllBytes(reference.resolve("metrics.png")),
        Files.readAllBytes(folder.resolve("metrics.png")), "the same curves");
    assertSameTensors(reference.resolve("epoch-0002.safetensors"),
        folder.resolve("epoch-0002.safetensors"));
    assertSameTensors(reference.resolve(RunDirectory.BEST), folder.resolve(RunDirectory.BEST));
    assertEquals(Checkpoint.open(reference.resolve(RunDirectory.BEST)).metadata().get("val_top1"),
        Checkpoint.open(folder.resolve(RunDirectory.BEST)).metadata().get("val_top1"));
    assertEquals(folder.resolve(RunDirectory.BEST), RunDirectory.bestCheckpoint(folder));
    assertScores(evaluate(RunDirectory.bestCheckpoint(reference)),
        evaluate(RunDirectory.bestCheckpoint(folder)));
  }

  private static double validationTop1(int epoch) {
    return referenceRows.stream().filter(r -> r.phase().equals("val") && r.epoch() == epoch)
        .findFirst().orElseThrow().top1();
  }

  private static int epochOf(Path checkpoint) {
    return Integer.parseInt(Checkpoint.open(checkpoint).metadata().get("epoch"));
  }

  /** The rows without their timings, which no two runs share. */
  private static List<String> deterministic(List<MetricsLog.Row> rows) {
    return rows.stream().map(r -> String.join(",", Double.toString(r.epoch()),
        Long.toString(r.step()), r.phase(), Double.toString(r.learningRate()),
        Double.toString(r.loss()), Double.toString(r.top1()), Double.toString(r.top5())))
        .toList();
  }

  private static TreeSet<String> files(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString())
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private static void assertSameTensors(Path expected, Path actual) throws IOException {
    try (SafetensorsFile a = SafetensorsFile.open(expected);
        SafetensorsFile b = SafetensorsFile.open(actual)) {
      assertEquals(a.names(), b.names());
      for (String name : a.names()) {
        assertArrayEquals(a.read(name), b.read(name), 0f, name + " of " + actual);
      }
      assertEquals(a.metadata().get("epoch"), b.metadata().get("epoch"), actual.toString());
    }
  }

  private static void assertScores(Scores expected, Scores actual) {
    assertEquals(expected.examples(), actual.examples());
    assertEquals(expected.meanLoss(), actual.meanLoss(), 0);
    assertEquals(expected.top1(), actual.top1(), 0);
    assertEquals(expected.top5(), actual.top5(), 0);
  }

  /** What {@code netspec evaluate <checkpoint>} computes. */
  private static Scores evaluate(Path checkpoint) {
    try (Classifier classifier = Classifier.open(checkpoint, name -> ShapesNet.DESCRIPTOR,
        ModelOptions.defaults())) {
      ModelInfo info = classifier.info();
      try (BatchLoader loader = new BatchLoader(
          DataSource.fromMetadata(classifier.metadata()).open(info.channels()).validation(),
          Transform.evaluation(info.height(), info.width(), info.normalization()), 128, false,
          false, 0, 1, 4)) {
        return Evaluation.run(classifier::logits, loader);
      }
    }
  }
}
