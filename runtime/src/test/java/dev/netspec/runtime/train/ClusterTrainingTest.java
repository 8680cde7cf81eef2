package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.cluster.ClusterConfig;
import dev.netspec.runtime.cluster.ClusterFailureException;
import dev.netspec.runtime.cluster.LoopbackCluster;
import dev.netspec.runtime.cluster.ParameterServer;
import dev.netspec.runtime.io.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The trainer on a loopback cluster of two workers and a parameter server: a worker started with
 * other settings is refused at the start with the difference named; a worker killed mid-run is
 * named within the timeout with the last complete checkpoint, and the cluster restarted with the
 * checkpoint continues from it to the very weights of an uninterrupted run.
 */
class ClusterTrainingTest {
  @TempDir Path temp;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aWorkerWithOtherSettingsIsRefusedWithTheDifference() throws Exception {
    LoopbackCluster cluster = new LoopbackCluster(2);
    CompletableFuture<String> server = CompletableFuture.supplyAsync(
        () -> ParameterServer.serve(cluster.parameterServer(0)));
    CompletableFuture<Trainer.Result> worker = CompletableFuture.supplyAsync(() ->
        Trainer.train(ShapesNet.DESCRIPTOR, ClusterWorker.DATA, ClusterWorker.config(8),
            ClusterWorker.options(temp.resolve("worker"), cluster.worker(1)), null));
    ClusterFailureException chief = assertThrows(ClusterFailureException.class, () ->
        Trainer.train(ShapesNet.DESCRIPTOR, ClusterWorker.DATA, ClusterWorker.config(16),
            ClusterWorker.options(temp.resolve("run"), cluster.worker(0)), null));
    String expected = cluster.worker(0).describeWorker(1) + " was started with batch_size = 8, "
        + "the chief with batch_size = 16";
    assertTrue(chief.getMessage().startsWith(expected), chief.getMessage());
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> worker.get(30, TimeUnit.SECONDS));
    assertTrue(refused.getCause().getMessage().contains(expected),
        refused.getCause().getMessage());
    assertTrue(server.get(30, TimeUnit.SECONDS).startsWith(ParameterServer.FAILED));
    try (var files = Files.list(temp.resolve("run"))) {
      assertEquals(0, files.filter(f -> f.toString().endsWith(".safetensors")).count());
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aKilledWorkerIsNamedAndTheClusterResumesFromTheLastCheckpoint() throws Exception {
    Path run = temp.resolve("run");
    LoopbackCluster first = new LoopbackCluster(2);
    CompletableFuture<String> server = CompletableFuture.supplyAsync(
        () -> ParameterServer.serve(first.parameterServer(0)));
    Process worker = startWorker(first.worker(1), run, "new");
    AtomicLong killedAt = new AtomicLong();
    ClusterFailureException lost;
    try {
      lost = assertThrows(ClusterFailureException.class, () ->
          Trainer.train(ShapesNet.DESCRIPTOR, ClusterWorker.DATA, ClusterWorker.config(16),
              ClusterWorker.options(run, first.worker(0)), new Trainer.Listener() {
                @Override
                public void epoch(Trainer.EpochSummary summary) {
                  if (summary.epoch() == 1) {
                    worker.destroyForcibly();
                    killedAt.set(System.nanoTime());
                  }
                }
              }));
    } finally {
      worker.destroyForcibly();
    }
    double detected = (System.nanoTime() - killedAt.get()) / 1e9;
    assertTrue(detected < ClusterWorker.TIMEOUT.toSeconds() + 20, detected + " s");
    Path checkpoint = RunDirectory.latest(run);
    assertTrue(lost.getMessage().startsWith(first.worker(0).describeWorker(1)),
        lost.getMessage());
    assertTrue(lost.getMessage().contains("did not push its gradients of step"),
        lost.getMessage());
    assertTrue(lost.getMessage().contains("The last complete checkpoint is " + checkpoint),
        lost.getMessage());
    assertTrue(server.get(30, TimeUnit.SECONDS).startsWith(ParameterServer.FAILED));
    assertEquals("1", Checkpoint.open(checkpoint).metadata().get("epoch"));

    // the whole cluster again, from the checkpoint
    LoopbackCluster second = new LoopbackCluster(2);
    CompletableFuture<String> restarted = CompletableFuture.supplyAsync(
        () -> ParameterServer.serve(second.parameterServer(0)));
    Process resumed = startWorker(second.worker(1), run, "resume");
    AtomicReference<Trainer.Plan> plan = new AtomicReference<>();
    try {
      Trainer.Result result = Trainer.resume(ShapesNet.DESCRIPTOR,
          Checkpoint.open(RunDirectory.latest(run)), 0,
          ClusterWorker.options(run, second.worker(0)), new Trainer.Listener() {
            @Override
            public void started(Trainer.Plan started) {
              plan.set(started);
            }
          });
      assertEquals(2, plan.get().firstEpoch());
      assertEquals(3, result.last().epoch());
      // 64 images per worker, 4 batches of 16 per epoch
      assertEquals(3 * 4, result.last().step());
      assertTrue(resumed.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, resumed.exitValue(), () -> log(run));
      assertEquals(ParameterServer.FINISHED, restarted.get(30, TimeUnit.SECONDS));
    } finally {
      resumed.destroyForcibly();
    }

    // exactly where an uninterrupted cluster run ends
    Path whole = temp.resolve("whole");
    LoopbackCluster third = new LoopbackCluster(2);
    CompletableFuture<String> again = CompletableFuture.supplyAsync(
        () -> ParameterServer.serve(third.parameterServer(0)));
    Process uninterrupted = startWorker(third.worker(1), whole, "new");
    try {
      Trainer.train(ShapesNet.DESCRIPTOR, ClusterWorker.DATA, ClusterWorker.config(16),
          ClusterWorker.options(whole, third.worker(0)), null);
      assertEquals(ParameterServer.FINISHED, again.get(30, TimeUnit.SECONDS));
    } finally {
      uninterrupted.destroyForcibly();
    }
    Checkpoint expected = Checkpoint.open(RunDirectory.latest(whole));
    Checkpoint actual = Checkpoint.open(RunDirectory.latest(run));
    assertEquals(expected.shapes(), actual.shapes());
    List<String> names = List.copyOf(expected.shapes().keySet());
    Map<String, TFloat32> a = expected.read(names);
    Map<String, TFloat32> b = actual.read(names);
    try {
      for (String name : names) {
        float[] x = new float[Math.toIntExact(a.get(name).shape().size())];
        float[] y = new float[x.length];
        a.get(name).copyTo(DataBuffers.of(x, false, false));
        b.get(name).copyTo(DataBuffers.of(y, false, false));
        assertArrayEquals(x, y, name);
      }
    } finally {
      a.values().forEach(TFloat32::close);
      b.values().forEach(TFloat32::close);
    }
  }

  private Process startWorker(ClusterConfig cluster, Path run, String mode) throws Exception {
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        ClusterWorker.class.getName(), cluster.toJson(cluster.task()), run.toString(), mode)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(temp.resolve("worker.log").toFile()))
        .start();
  }

  private String log(Path run) {
    try {
      return Files.readString(temp.resolve("worker.log"));
    } catch (Exception e) {
      return "no log: " + e;
    }
  }
}
