package dev.netspec.examples.cli;

import dev.netspec.runtime.cluster.ClusterConfig;
import dev.netspec.runtime.train.SyncTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code train}'s part in a TensorFlow cluster: the cluster from {@code --cluster} or the {@code
 * TF_CONFIG} environment variable, this process's task from {@code --task} or the same, and the
 * timeout of every wait.
 */
final class ClusterOptions {
  @Option(names = "--cluster", paramLabel = "<json|file>",
      description = "train as a task of a TensorFlow cluster: TF_CONFIG's JSON, or a file "
          + "holding it, {\"cluster\": {\"worker\": [\"host:port\", ...], \"ps\": "
          + "[\"host:port\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}} (default: the "
          + "TF_CONFIG environment variable, when set)")
  String cluster;

  @Option(names = "--task", paramLabel = "<job:index>",
      description = "this process's task in the cluster, worker:0 (the chief), worker:1, ... "
          + "or ps:0, instead of the cluster's \"task\"")
  String task;

  @Option(names = "--sync-timeout", paramLabel = "<seconds>", defaultValue = "60",
      description = "in a cluster, the longest wait for the other workers' gradients, for the "
          + "chief's go-ahead (which includes its validation and checkpoint after each epoch) "
          + "and for the workers to join (default: ${DEFAULT-VALUE})")
  double syncTimeout;

  /** The cluster this process is a task of; empty when it trains alone. */
  Optional<ClusterConfig> resolve() {
    String origin;
    String json;
    if (cluster != null && cluster.strip().startsWith("{")) {
      origin = "--cluster";
      json = cluster;
    } else if (cluster != null) {
      Path file = Path.of(cluster);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("--cluster " + cluster + " is neither JSON nor a "
            + "file: give TF_CONFIG's JSON, {\"cluster\": {...}, \"task\": {...}}, or a file "
            + "holding it");
      }
      origin = "--cluster " + file;
      json = read(file);
    } else {
      json = System.getenv(ClusterConfig.ENVIRONMENT);
      origin = ClusterConfig.ENVIRONMENT;
      if (json == null || json.isBlank()) {
        if (task != null) {
          throw new IllegalArgumentException("--task " + task + " needs a cluster: give it with "
              + "--cluster <json|file> or the TF_CONFIG environment variable");
        }
        return Optional.empty();
      }
    }
    ClusterConfig.Task own = task == null ? null : ClusterConfig.Task.parse(task, "--task");
    return Optional.of(ClusterConfig.parse(json, origin, own));
  }

  /** What a worker of {@code config} trains with. */
  SyncTraining training(ClusterConfig config) {
    if (!(syncTimeout > 0) || syncTimeout > 86_400) {
      throw new IllegalArgumentException("--sync-timeout must be more than 0 and at most a day "
          + "(86400 seconds), got " + syncTimeout);
    }
    return new SyncTraining(config, Duration.ofMillis(Math.round(syncTimeout * 1000)));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the cluster file " + file + ": "
          + e.getMessage(), e);
    }
  }
}
