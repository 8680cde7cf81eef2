package dev.netspec.runtime.layers;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of one TensorFlow graph by their full dotted names, shared by every network built
 * into it: building a network again (for another {@link dev.netspec.runtime.Mode}) gets the
 * variables the first build made, so both compute with the same weights and BatchNorm statistics.
 *
 * <p>What it knows of a graph is kept beside the graph, keyed weakly by it, and holds op names
 * rather than ops: nothing in it keeps the graph reachable, so it goes when the graph does.
 */
final class VariableRegistry {

  /** A variable as the first build made it. */
  private record Known(String opName, Shape shape, boolean trainable) {}

  private static final Map<Graph, Map<String, Known>> GRAPHS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Graph graph;
  private final Map<String, Known> known;

  private VariableRegistry(Graph graph, Map<String, Known> known) {
    this.graph = graph;
    this.known = known;
  }

  /** The registry of the graph {@code env} is. */
  static VariableRegistry of(ExecutionEnvironment env) {
    if (!(env instanceof Graph graph)) {
      throw new IllegalArgumentException("networks are built into a Graph, not "
          + env.getClass().getSimpleName() + ": their variables live in one");
    }
    return new VariableRegistry(graph,
        GRAPHS.computeIfAbsent(graph, g -> Collections.synchronizedMap(new HashMap<>())));
  }

  /**
   * The graph's variable called {@code name}, made by {@code create} if there is none yet.
   *
   * @throws IllegalArgumentException when the graph's variable of that name has another shape or
   *     trainability: two different networks were built into one graph
   */
  Variable<TFloat32> getOrCreate(String name, Shape shape, boolean trainable,
      Supplier<Variable<TFloat32>> create) {
    Known existing = known.get(name);
    if (existing == null) {
      Variable<TFloat32> variable = create.get();
      known.put(name, new Known(variable.op().name(), shape, trainable));
      return variable;
    }
    if (!existing.shape().equals(shape) || existing.trainable() != trainable) {
      throw new IllegalArgumentException("variable '" + name + "' is " + describe(shape,
          trainable) + " here but " + describe(existing.shape(), existing.trainable())
          + " in the network built earlier into this graph; builds in one graph share variables"
          + " by name, so build a different network into a graph of its own");
    }
    GraphOperation op = graph.operationOrThrow(existing.opName());
    return new Variable<>(op);
  }

  private static String describe(Shape shape, boolean trainable) {
    return shape + (trainable ? " and trainable" : " and not trainable");
  }
}
