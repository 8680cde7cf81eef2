package dev.netspec.runtime.train;

import dev.netspec.runtime.cluster.ClusterConfig;
import dev.netspec.runtime.data.DataSource;
import dev.netspec.runtime.io.Checkpoint;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Worker 1 of {@link ClusterTrainingTest}'s runs as a main class, in a JVM of its own that the
 * test kills: arguments TF_CONFIG, the run folder, and {@code new} or {@code resume}.
 */
public final class ClusterWorker {
  static final DataSource DATA = DataSource.synthetic(3, 128, 32);
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private ClusterWorker() {}

  static TrainingConfig config(int batch) {
    return new TrainingConfig(3, batch, Optimizer.sgd(0.9, true), new Schedule.Cosine(0.05, 0),
        5e-4, false, 0.1, 11, 3);
  }

  static Trainer.Options options(Path out, ClusterConfig cluster) {
    return new Trainer.Options(out, 1, 32).withSync(new SyncTraining(cluster, TIMEOUT));
  }

  public static void main(String[] args) {
    ClusterConfig cluster = ClusterConfig.parse(args[0], "TF_CONFIG");
    Path out = Path.of(args[1]);
    if (args[2].equals("resume")) {
      Trainer.resume(ShapesNet.DESCRIPTOR, Checkpoint.open(RunDirectory.latest(out)), 0,
          options(out, cluster), null);
    } else {
      Trainer.train(ShapesNet.DESCRIPTOR, DATA, config(16), options(out, cluster), null);
    }
    System.exit(0);
  }
}
