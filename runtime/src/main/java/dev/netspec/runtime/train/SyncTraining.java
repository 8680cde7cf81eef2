package dev.netspec.runtime.train;

import dev.netspec.runtime.cluster.ClusterConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * A worker's part in synchronous data-parallel training on a TensorFlow cluster (see {@link
 * SyncReplicas} for the scheme): worker 0, the chief, trains as a single process does and alone
 * validates and writes the run's files; the others compute gradients on their part of the data.
 *
 * @param cluster the cluster and this process's task, a worker
 * @param timeout the longest any wait may take: for the other workers' gradients, for the
 *     chief's go-ahead (which includes its validation and checkpoint at each epoch's end), for
 *     the workers to join at the start
 */
public record SyncTraining(ClusterConfig cluster, Duration timeout) {
  /** The timeout when none is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public SyncTraining {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(timeout, "timeout");
    if (!cluster.task().isWorker()) {
      throw new IllegalArgumentException("task " + cluster.task() + " is a parameter server, "
          + "which serves the variables and does not train");
    }
    if (timeout.toMillis() < 1) {
      throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
    }
  }
}
