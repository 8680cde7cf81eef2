package dev.netspec.runtime.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A cluster of workers and parameter servers on free loopback ports. */
public final class LoopbackCluster {
  private final List<String> workers;
  private final List<String> parameterServers;

  /** {@code workers} workers and one parameter server. */
  public LoopbackCluster(int workers) {
    this(workers, 1);
  }

  public LoopbackCluster(int workers, int parameterServers) {
    List<String> addresses = new ArrayList<>();
    for (int port : LoopbackPorts.free(workers + parameterServers)) {
      addresses.add("localhost:" + port);
    }
    this.workers = List.copyOf(addresses.subList(0, workers));
    this.parameterServers = List.copyOf(addresses.subList(workers, addresses.size()));
  }

  /** The cluster as seen by worker {@code index}. */
  public ClusterConfig worker(int index) {
    return task(new ClusterConfig.Task("worker", index));
  }

  /** The cluster as seen by parameter server {@code index}. */
  public ClusterConfig parameterServer(int index) {
    return task(new ClusterConfig.Task("ps", index));
  }

  private ClusterConfig task(ClusterConfig.Task task) {
    return ClusterConfig.of(Map.of("worker", workers, "ps", parameterServers), task,
        "the test cluster");
  }
}
