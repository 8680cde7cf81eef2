package dev.netspec.runtime.layers;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

/**
 * Where a graph's variables live when that is not where its computations run: on a parameter
 * server, while each worker computes on its own device. Networks, BatchNorm statistics and
 * optimizer state all create their variables through {@link #place}, so one setting per graph
 * puts them there. Kept beside the graph, keyed weakly by it.
 *
 * <p>A graph may keep the network's variables that no gradient updates (BatchNorm's running
 * statistics) on its own device instead: a worker whose forward pass updates statistics that
 * only the chief's count keeps its own, as each process of PyTorch's DistributedDataParallel
 * keeps its own buffers.
 */
public final class VariableDevices {
  private record Placement(DeviceSpec device, boolean statistics) {}

  private static final Map<Graph, Placement> PLACEMENTS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private VariableDevices() {}

  /**
   * Every variable created in {@code graph} from now on goes on {@code device}; the network's
   * untrained ones (running statistics) too when {@code statistics}, else where they are built.
   */
  public static void placeOn(Graph graph, DeviceSpec device, boolean statistics) {
    PLACEMENTS.put(Objects.requireNonNull(graph, "graph"),
        new Placement(Objects.requireNonNull(device, "device"), statistics));
  }

  /** {@code tf}, on its graph's variable device when it has one: the scope to create variables in. */
  public static Ops place(Ops tf) {
    return place(tf, true);
  }

  /**
   * {@code tf}, where a network variable goes: on its graph's variable device when it has one,
   * unless it is not {@code trained} and the graph keeps its own statistics.
   */
  static Ops place(Ops tf, boolean trained) {
    ExecutionEnvironment env = tf.scope().env();
    Placement placement = env instanceof Graph graph ? PLACEMENTS.get(graph) : null;
    return placement == null || (!trained && !placement.statistics()) ? tf
        : tf.withDevice(placement.device());
  }
}
