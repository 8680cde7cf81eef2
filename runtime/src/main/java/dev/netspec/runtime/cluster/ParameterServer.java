package dev.netspec.runtime.cluster;

import dev.netspec.runtime.ClusterPlacement;
import java.util.List;
import java.util.Objects;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TargetedSession;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.FifoQueue;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.io.QueueDequeue;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TString;

/**
 * A parameter server of a cluster: a TensorFlow server that holds its share of the variables and
 * of the workers' gradient accumulators (parameter server 0 also the run's queues), and serves
 * until the chief posts the run's end on its {@linkplain #doneQueue done queue} (or the process
 * is killed). TensorFlow's gRPC server
 * cannot be shut down cleanly: it stops with the process.
 */
public final class ParameterServer {
  /** What the chief posts when the run finished. */
  public static final String FINISHED = "finished";
  /** What the chief posts, followed by the reason, when the run failed. */
  public static final String FAILED = "failed: ";

  private ParameterServer() {}

  /** The CPU of parameter server {@code task}. */
  public static DeviceSpec device(int task) {
    return DeviceSpec.newBuilder().job(ClusterPlacement.PS_JOB).task(task)
        .deviceType(DeviceSpec.DeviceType.CPU).build();
  }

  /** The queue on parameter server {@code task} that the chief posts the run's end to. */
  public static Operand<?> doneQueue(Ops tf, int task) {
    Ops ps = tf.withDevice(device(task));
    return ps.withName("run_done_" + task).io.fifoQueue(List.of(TString.class),
        FifoQueue.shapes(Shape.scalar()), FifoQueue.sharedName("netspec_run_done")).handle();
  }

  /**
   * Starts the server of {@code cluster}'s parameter-server task and blocks until the chief posts
   * the run's end to it.
   *
   * @return what the chief posted: {@link #FINISHED}, or {@link #FAILED} and the reason
   */
  public static String serve(ClusterConfig cluster) {
    Objects.requireNonNull(cluster, "cluster");
    if (cluster.task().isWorker()) {
      throw new IllegalArgumentException("task " + cluster.task() + " is a worker, not the "
          + "parameter server");
    }
    cluster.startServer();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      QueueDequeue next = tf.io.queueDequeue(doneQueue(tf, cluster.task().index()),
          List.of(TString.class));
      try (Session session = TargetedSession.open(graph, cluster.target(),
          ConfigProto.newBuilder().addDeviceFilters("/job:ps/task:" + cluster.task().index())
              .build());
          Result result = session.runner().fetch(next.components().get(0)).run()) {
        return ((TString) result.get(0)).getObject();
      }
    }
  }
}
