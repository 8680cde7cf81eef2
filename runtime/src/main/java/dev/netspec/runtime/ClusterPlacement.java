package dev.netspec.runtime;

import java.util.Objects;
import org.tensorflow.DeviceSpec;
import org.tensorflow.proto.ConfigProto;

/**
 * A model built by one worker of a TensorFlow cluster (parameter servers, between-graph
 * replication): its computations on {@code /job:worker/task:<workerTask>}, its variables on the
 * parameter server {@code /job:ps/task:0}, its session on the worker's own server at {@code
 * target}. Every worker's graph names its variables alike, and a variable of one name on one
 * device is one variable for all of them: that is how they share the weights. Only the chief's
 * model (worker 0's) initializes them, so that no other worker overwrites what the chief has
 * loaded or trained. BatchNorm's running statistics, which every forward pass in training
 * updates, are the chief's on the parameter server; every other worker keeps (and initializes)
 * its own, which nothing reads, as PyTorch's DistributedDataParallel keeps rank 0's buffers.
 *
 * @param target the worker's server, e.g. {@code grpc://localhost:2223}
 * @param workerTask the worker's index in the cluster's {@code worker} job
 */
public record ClusterPlacement(String target, int workerTask) {
  /** The job of the workers, as TensorFlow names it in {@code TF_CONFIG}. */
  public static final String WORKER_JOB = "worker";
  /** The job of the parameter servers. */
  public static final String PS_JOB = "ps";

  public ClusterPlacement {
    Objects.requireNonNull(target, "target");
    if (workerTask < 0) {
      throw new IllegalArgumentException("the worker task must be 0 or more, got " + workerTask);
    }
  }

  /**
   * Whether this worker's model fills the shared variables when it is created, and shares its
   * BatchNorm statistics: the chief's.
   */
  public boolean initializes() {
    return workerTask == 0;
  }

  /** Where the variables live: the parameter server's CPU. */
  public DeviceSpec variables() {
    return DeviceSpec.newBuilder().job(PS_JOB).task(0)
        .deviceType(DeviceSpec.DeviceType.CPU).build();
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
   * {@code config} limited to the parameter server and this worker: a session then neither waits
   * for nor depends on the other workers.
   */
  ConfigProto filtered(ConfigProto config) {
    return config.toBuilder().clearDeviceFilters().addDeviceFilters("/job:" + PS_JOB)
        .addDeviceFilters("/job:" + WORKER_JOB + "/task:" + workerTask).build();
  }
}
