package dev.netspec.runtime.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A cluster of {@code workers} workers and one parameter server on free loopback ports. */
public final class LoopbackCluster {
  private final List<String> workers;
  private final String parameterServer;

  public LoopbackCluster(int workers) {
    List<String> addresses = new ArrayList<>();
    for (int port : freePorts(workers + 1)) {
      addresses.add("localhost:" + port);
    }
    this.parameterServer = addresses.get(workers);
    this.workers = List.copyOf(addresses.subList(0, workers));
  }

  /** The cluster as seen by worker {@code index}. */
  public ClusterConfig worker(int index) {
    return task(new ClusterConfig.Task("worker", index));
  }

  /** The cluster as seen by the parameter server. */
  public ClusterConfig parameterServer() {
    return task(new ClusterConfig.Task("ps", 0));
  }

  private ClusterConfig task(ClusterConfig.Task task) {
    return ClusterConfig.of(Map.of("worker", workers, "ps", List.of(parameterServer)), task,
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
