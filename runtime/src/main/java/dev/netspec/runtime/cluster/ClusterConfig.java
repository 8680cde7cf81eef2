package dev.netspec.runtime.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.netspec.runtime.ClusterPlacement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Server;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * A TensorFlow cluster as {@code TF_CONFIG} describes it, and this process's task in it: {@code
 * {"cluster": {"worker": ["host:port", ...], "ps": ["host:port"]}, "task": {"type": "worker",
 * "index": 0}}}. Worker 0 is the chief. The variables are spread over the {@code ps} tasks (see
 * {@link ClusterPlacement}).
 *
 * @param workers the worker job's addresses, by task index
 * @param parameterServers the parameter servers' addresses, by task index
 * @param task this process's task
 */
public record ClusterConfig(List<String> workers, List<String> parameterServers, Task task) {
  /** The environment variable TensorFlow's tools read the cluster from. */
  public static final String ENVIRONMENT = "TF_CONFIG";

  private static final Pattern ADDRESS = Pattern.compile("([^\\s:]+|\\[[0-9A-Fa-f:.]+]):(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  /** A job name and an index in it. */
  public record Task(String type, int index) {
    public Task {
      Objects.requireNonNull(type, "type");
    }

    /**
     * Reads {@code worker:1} or {@code ps:0}.
     *
     * @throws IllegalArgumentException saying how to write it
     */
    public static Task parse(String text, String origin) {
      int colon = text.lastIndexOf(':');
      if (colon > 0) {
        try {
          return new Task(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
          // refused below
        }
      }
      throw new IllegalArgumentException(origin + " is \"" + text + "\"; write the job and "
          + "the task index, e.g. worker:0 (the chief), worker:1 or ps:0");
    }

    public boolean isWorker() {
      return type.equals(ClusterPlacement.WORKER_JOB);
    }

    @Override
    public String toString() {
      return type + ":" + index;
    }
  }

  public ClusterConfig {
    workers = List.copyOf(workers);
    parameterServers = List.copyOf(parameterServers);
    Objects.requireNonNull(task, "task");
  }

  /** The shape {@code TF_CONFIG} is read into before it is checked. */
  private record Raw(Map<String, List<String>> cluster, RawTask task) {}

  private record RawTask(String type, Integer index) {}

  /**
   * Reads and checks {@code json}, a {@code TF_CONFIG} value; {@code origin} names where it came
   * from in the messages.
   *
   * @throws IllegalArgumentException saying what is wrong and how to write it instead
   */
  public static ClusterConfig parse(String json, String origin) {
    return parse(json, origin, null);
  }

  /**
   * {@link #parse(String, String)} where {@code task}, when not null, is this process's task
   * instead of the value's own (which may then be left out).
   */
  public static ClusterConfig parse(String json, String origin, Task task) {
    Raw raw;
    try {
      raw = JSON.readerFor(Raw.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(json);
    } catch (MismatchedInputException e) {
      throw new IllegalArgumentException(origin + ": " + path(e) + " has the wrong type; write "
          + example(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(origin + " is not JSON (" + e.getOriginalMessage()
          + "); write " + example(), e);
    }
    if (raw == null || raw.cluster() == null) {
      throw new IllegalArgumentException(origin + " has no \"cluster\"; write " + example());
    }
    if (task != null) {
      return of(raw.cluster(), task, origin);
    }
    if (raw.task() == null || raw.task().type() == null || raw.task().index() == null) {
      throw new IllegalArgumentException(origin + " needs \"task\": {\"type\": \"worker\" or "
          + "\"ps\", \"index\": <n>}, this process's place in the cluster");
    }
    return of(raw.cluster(), new Task(raw.task().type(), raw.task().index()), origin);
  }

  /**
   * The cluster of {@code jobs} (job name to addresses) with this process as {@code task}.
   *
   * @throws IllegalArgumentException saying what is wrong and how to write it instead
   */
  public static ClusterConfig of(Map<String, List<String>> jobs, Task task, String origin) {
    for (String job : jobs.keySet()) {
      if (!job.equals(ClusterPlacement.WORKER_JOB) && !job.equals(ClusterPlacement.PS_JOB)) {
        throw new IllegalArgumentException(origin + "'s cluster has a job \"" + job + "\": "
            + "netspec's jobs are \"worker\" (worker 0 is the chief) and \"ps\"; list a chief "
            + "first under \"worker\"");
      }
    }
    List<String> workers = jobs.get(ClusterPlacement.WORKER_JOB);
    if (workers == null || workers.isEmpty()) {
      throw new IllegalArgumentException(origin + "'s cluster has no workers: list their "
          + "addresses under \"worker\", the chief first");
    }
    List<String> servers = jobs.get(ClusterPlacement.PS_JOB);
    if (servers == null || servers.isEmpty()) {
      throw new IllegalArgumentException(origin + "'s cluster has no parameter server: list at "
          + "least one address under \"ps\", e.g. \"ps\": [\"localhost:2222\"]");
    }
    Set<String> seen = new HashSet<>();
    for (String address : concat(workers, servers)) {
      checkAddress(address, origin);
      if (!seen.add(address)) {
        throw new IllegalArgumentException(origin + " lists " + address + " twice: every task "
            + "needs an address of its own");
      }
    }
    int size = task.isWorker() ? workers.size()
        : task.type().equals(ClusterPlacement.PS_JOB) ? servers.size() : -1;
    if (size < 0) {
      throw new IllegalArgumentException(origin + "'s task type is \"" + task.type()
          + "\"; use \"worker\" or \"ps\"");
    }
    if (task.index() < 0 || task.index() >= size) {
      throw new IllegalArgumentException(origin + "'s task is " + task + ", but the job \""
          + task.type() + "\" has " + size + (size == 1 ? " task" : " tasks") + ": use an index "
          + "from 0 to " + (size - 1));
    }
    return new ClusterConfig(workers, servers, task);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }

  private static void checkAddress(String address, String origin) {
    Matcher m = address == null ? null : ADDRESS.matcher(address);
    if (m == null || !m.matches() || Integer.parseInt(m.group(2)) < 1
        || Integer.parseInt(m.group(2)) > 65535) {
      throw new IllegalArgumentException(origin + " has the address \"" + address + "\"; write "
          + "host:port with a port from 1 to 65535, e.g. \"localhost:2222\"");
    }
  }

  private static String path(MismatchedInputException e) {
    StringBuilder path = new StringBuilder();
    e.getPath().forEach(r -> path.append(r.getFieldName() != null ? "." + r.getFieldName()
        : "[" + r.getIndex() + "]"));
    return path.length() == 0 ? "the whole value" : path.substring(1);
  }

  private static String example() {
    return "{\"cluster\": {\"worker\": [\"host:port\", ...], \"ps\": [\"host:port\"]}, "
        + "\"task\": {\"type\": \"worker\", \"index\": 0}}";
  }

  /** This cluster as {@code TF_CONFIG} for another task: what a launcher hands its processes. */
  public String toJson(Task other) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("cluster", Map.of(ClusterPlacement.WORKER_JOB, workers,
        ClusterPlacement.PS_JOB, parameterServers));
    value.put("task", Map.of("type", other.type(), "index", other.index()));
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether this process is worker 0, which alone validates and writes the run's files. */
  public boolean isChief() {
    return task.isWorker() && task.index() == 0;
  }

  /** The address of {@code task}. */
  public String address(Task of) {
    return (of.isWorker() ? workers : parameterServers).get(of.index());
  }

  /** This process's own server, as a session target. */
  public String target() {
    return "grpc://" + address(task);
  }

  /** Worker {@code index} and its address, as messages name it. */
  public String describeWorker(int index) {
    return "worker " + index + " (" + workers.get(index) + ")";
  }

  /** Parameter server {@code index} and its address, as messages name it. */
  public String describeParameterServer(int index) {
    return "parameter server ps:" + index + " (" + parameterServers.get(index) + ")";
  }

  /** All parameter servers and their addresses, as messages name them. */
  public String describeParameterServers() {
    if (parameterServers.size() == 1) {
      return describeParameterServer(0);
    }
    List<String> all = new java.util.ArrayList<>();
    for (int i = 0; i < parameterServers.size(); i++) {
      all.add("ps:" + i + " (" + parameterServers.get(i) + ")");
    }
    return "parameter servers " + String.join(", ", all);
  }

  /** The {@code ServerDef} of this process's server. */
  public ServerDef serverDef() {
    JobDef.Builder worker = JobDef.newBuilder().setName(ClusterPlacement.WORKER_JOB);
    for (int i = 0; i < workers.size(); i++) {
      worker.putTasks(i, workers.get(i));
    }
    JobDef.Builder ps = JobDef.newBuilder().setName(ClusterPlacement.PS_JOB);
    for (int i = 0; i < parameterServers.size(); i++) {
      ps.putTasks(i, parameterServers.get(i));
    }
    ClusterDef cluster = ClusterDef.newBuilder().addJob(worker).addJob(ps).build();
    return ServerDef.newBuilder().setCluster(cluster).setJobName(task.type())
        .setTaskIndex(task.index()).setProtocol("grpc").build();
  }

  /**
   * Starts this task's TensorFlow server, which runs until the process ends (TensorFlow's gRPC
   * server has no clean shutdown).
   *
   * @throws ClusterFailureException when it cannot start, e.g. its port is taken
   */
  public Server startServer() {
    try {
      Server server = new Server(serverDef());
      server.start();
      return server;
    } catch (RuntimeException e) {
      throw new ClusterFailureException("cannot start the server of " + task + " at "
          + address(task) + ": " + e.getMessage(), e);
    }
  }

  /** How a worker's model is placed: see {@link ClusterPlacement}. */
  public ClusterPlacement placement() {
    if (!task.isWorker()) {
      throw new IllegalStateException("a parameter server builds no model");
    }
    return new ClusterPlacement(target(), task.index(), parameterServers.size());
  }
}
