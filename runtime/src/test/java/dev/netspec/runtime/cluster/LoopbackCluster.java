package dev.netspec.runtime.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
    for (int port : freePorts(workers + parameterServers)) {
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

  /** {@code count} different free ports: all held open until all are found. */
  private static List<Integer> freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException e) {
          // the port is free again either way
        }
      }
    }
  }
}
