package dev.netspec.examples.cli;

import dev.netspec.runtime.cluster.ClusterConfig;
import dev.netspec.runtime.cluster.LoopbackPorts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code train --local-workers N}: a cluster of N workers and one parameter server on this
 * machine's loopback addresses, each a JVM of its own (this one's java, classpath and options)
 * running {@code train} with its {@code TF_CONFIG}. The chief's output is this command's; the
 * others' goes to {@code worker-<i>.log} and {@code ps.log} in the run folder. When any task
 * fails, or this process is stopped, every other one is stopped too.
 */
final class LocalCluster {
  /** How long the other tasks may take to end once the chief has. */
  private static final long GRACE_MILLIS = 30_000;

  private final List<Process> processes = new ArrayList<>();

  private LocalCluster() {}

  /**
   * Runs the cluster: {@code args} are the {@code train} arguments every task gets (without
   * {@code --local-workers}), {@code folder} the run folder they write to.
   *
   * @return the chief's exit status, or the first failed task's
   */
  static int run(int workers, List<String> args, Path folder, PrintWriter out) {
    if (workers < 1) {
      throw new IllegalArgumentException("--local-workers must be at least 1, got " + workers);
    }
    List<String> addresses = new ArrayList<>();
    for (int port : LoopbackPorts.free(workers + 1)) {
      addresses.add("127.0.0.1:" + port);
    }
    ClusterConfig cluster = ClusterConfig.of(Map.of("worker", addresses.subList(0, workers),
        "ps", List.of(addresses.get(workers))), new ClusterConfig.Task("worker", 0),
        "--local-workers");
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run folder " + folder + ": "
          + e.getMessage(), e);
    }
    out.println("cluster: " + workers + (workers == 1 ? " worker" : " workers") + " "
        + cluster.workers() + ", parameter server " + cluster.parameterServers().get(0)
        + "; the other tasks' output in " + folder + "/{worker-<i>,ps}.log");
    out.flush();
    LocalCluster local = new LocalCluster();
    Thread stopAll = new Thread(local::destroyAll, "netspec-local-cluster-stop");
    Runtime.getRuntime().addShutdownHook(stopAll);
    try {
      local.start(cluster, new ClusterConfig.Task("ps", 0), args, folder.resolve("ps.log"));
      for (int i = 1; i < workers; i++) {
        local.start(cluster, new ClusterConfig.Task("worker", i), args,
            folder.resolve("worker-" + i + ".log"));
      }
      Process chief = local.start(cluster, new ClusterConfig.Task("worker", 0), args, null);
      return local.await(chief);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    } finally {
      local.destroyAll();
      try {
        Runtime.getRuntime().removeShutdownHook(stopAll);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs
      }
    }
  }

  private Process start(ClusterConfig cluster, ClusterConfig.Task task, List<String> args,
      Path log) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(NetspecCommand.class.getName());
    command.add("train");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put(ClusterConfig.ENVIRONMENT, cluster.toJson(task));
    if (log == null) {
      builder.inheritIO();
    } else {
      builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
          log.toFile()));
    }
    try {
      Process process = builder.start();
      synchronized (processes) {
        processes.add(process);
      }
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the " + task + " task: " + e.getMessage(), e);
    }
  }

  /** Waits for the chief; stops everything at the first failure. */
  private int await(Process chief) throws InterruptedException {
    while (true) {
      if (!chief.isAlive()) {
        int status = chief.exitValue();
        if (status == 0) {
          // the parameter server and the workers end on their own once the chief is done
          long deadline = System.currentTimeMillis() + GRACE_MILLIS;
          for (Process p : snapshot()) {
            long left = Math.max(1, deadline - System.currentTimeMillis());
            p.waitFor(left, TimeUnit.MILLISECONDS);
          }
        }
        return status;
      }
      Optional<Process> failed = snapshot().stream()
          .filter(p -> p != chief && !p.isAlive() && p.exitValue() != 0).findFirst();
      if (failed.isPresent()) {
        // the chief reports what went wrong within its timeout; wait for its message
        chief.waitFor();
        return chief.exitValue() != 0 ? chief.exitValue() : failed.get().exitValue();
      }
      Thread.sleep(200);
    }
  }

  private List<Process> snapshot() {
    synchronized (processes) {
      return List.copyOf(processes);
    }
  }

  private void destroyAll() {
    for (Process p : snapshot()) {
      p.destroy();
    }
    for (Process p : snapshot()) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
