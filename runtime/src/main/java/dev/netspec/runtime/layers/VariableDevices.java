package dev.netspec.runtime.layers;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.op.Ops;

/**
 * Where a graph's variables live when that is not where its computations run: on parameter
 * servers, while each worker computes on its own device. Networks, BatchNorm statistics and
 * optimizer state all create their variables through {@link #place}, so one setting per graph
 * puts them there, each by its name. Kept beside the graph, keyed weakly by it.
 *
 * <p>A graph may keep the network's variables that no gradient updates (BatchNorm's running
 * statistics) on its own device instead: a worker whose forward pass updates statistics that
 * only the chief's count keeps its own, as each process of PyTorch's DistributedDataParallel
 * keeps its own buffers.
 */
public final class VariableDevices {
  private record Placement(Function<String, DeviceSpec> devices, boolean statistics) {}

  private static final Map<Graph, Placement> PLACEMENTS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private VariableDevices() {}

  /**
   * Every variable created in {@code graph} from now on goes on the device {@code devices} gives
   * for its name; the network's untrained ones (running statistics) too when {@code statistics},
   * else where they are built.
   */
  public static void placeOn(Graph graph, Function<String, DeviceSpec> devices,
      boolean statistics) {
    PLACEMENTS.put(Objects.requireNonNull(graph, "graph"),
        new Placement(Objects.requireNonNull(devices, "devices"), statistics));
  }

  /**
   * {@code tf}, where the variable (or per-variable state) of {@code name} goes: on its graph's
   * device for that name when it has one.
   */
  public static Ops place(Ops tf, String name) {
    return place(tf, name, true);
  }

  /**
   * {@code tf}, where the network variable {@code name} goes: on its graph's device for it when
   * it has one, unless it is not {@code trained} and the graph keeps its own statistics.
   */
  static Ops place(Ops tf, String name, boolean trained) {
    ExecutionEnvironment env = tf.scope().env();
    Placement placement = env instanceof Graph graph ? PLACEMENTS.get(graph) : null;
    return placement == null || (!trained && !placement.statistics()) ? tf
        : tf.withDevice(placement.devices().apply(name));
  }
}
