package dev.netspec.runtime;

import java.util.Objects;
import org.tensorflow.DeviceSpec;
import org.tensorflow.proto.ConfigProto;

/**
 * A model built by one worker of a TensorFlow cluster (parameter servers, between-graph
 * replication): its computations on {@code /job:worker/task:<workerTask>}, its variables on the
 * parameter servers {@code /job:ps/task:<k>}, each on the one its name's hash chooses (so every
 * worker places it alike, and a variable's optimizer state goes with it), its session on the
 * worker's own server at {@code target}. Every worker's graph names its variables alike, and a
 * variable of one name on one device is one variable for all of them: that is how they share the
 * weights. Only the chief's model (worker 0's) initializes them, so that no other worker
 * overwrites what the chief has loaded or trained. BatchNorm's running statistics, which every
 * forward pass in training updates, are the chief's on the parameter servers; every other worker
 * keeps (and initializes) its own, which nothing reads, as PyTorch's DistributedDataParallel
 * keeps rank 0's buffers.
 *
 * @param target the worker's server, e.g. {@code grpc://localhost:2223}
 * @param workerTask the worker's index in the cluster's {@code worker} job
 * @param parameterServers how many tasks the {@code ps} job has
 */
public record ClusterPlacement(String target, int workerTask, int parameterServers) {
  /** The job of the workers, as TensorFlow names it in {@code TF_CONFIG}. */
  public static final String WORKER_JOB = "worker";
  /** The job of the parameter servers. */
  public static final String PS_JOB = "ps";

  public ClusterPlacement {
    Objects.requireNonNull(target, "target");
    if (workerTask < 0) {
      throw new IllegalArgumentException("the worker task must be 0 or more, got " + workerTask);
    }
    if (parameterServers < 1) {
      throw new IllegalArgumentException("a cluster needs a parameter server, got "
          + parameterServers);
    }
  }

  /**
   * Whether this worker's model fills the shared variables when it is created, and shares its
   * BatchNorm statistics: the chief's.
   */
  public boolean initializes() {
    return workerTask == 0;
  }

  /**
   * Where the variable {@code name} lives (and the state kept per variable: its optimizer slots,
   * its gradient accumulator): the CPU of the parameter server its name's hash chooses.
   */
  public DeviceSpec variable(String name) {
    return parameterServer(Math.floorMod(hash(name), parameterServers));
  }

  /** Where the state of the whole run lives (global step, queues): parameter server 0. */
  public DeviceSpec coordinator() {
    return parameterServer(0);
  }

  private static DeviceSpec parameterServer(int index) {
    return DeviceSpec.newBuilder().job(PS_JOB).task(index)
        .deviceType(DeviceSpec.DeviceType.CPU).build();
  }

  /** FNV-1a of the name's UTF-8 bytes: the same in every process and Java version. */
  private static int hash(String name) {
    int hash = 0x811c9dc5;
    for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }

  /** Where this worker computes: its task, on {@code device}'s kind (any, for auto). */
  DeviceSpec compute(Device device) {
    DeviceSpec.Builder spec = DeviceSpec.newBuilder().job(WORKER_JOB).task(workerTask);
    return switch (device.kind()) {
      case AUTO -> spec.build();
      case CPU -> spec.deviceType(DeviceSpec.DeviceType.CPU).build();
      case GPU -> spec.deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(device.index()).build();
    };
  }

  /**
   * {@code config} limited to the parameter servers and this worker: a session then neither waits
   * for nor depends on the other workers.
   */
  ConfigProto filtered(ConfigProto config) {
    return config.toBuilder().clearDeviceFilters().addDeviceFilters("/job:" + PS_JOB)
        .addDeviceFilters("/job:" + WORKER_JOB + "/task:" + workerTask).build();
  }
}
