package dev.netspec.runtime.io.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A TensorFlow inference graph as the converter reads it: the ops between the input placeholder
 * and the output in an order where each comes after its inputs, and the value of every tensor
 * those ops read that does not depend on the input (weights, and shapes, paddings and masks that
 * the image size fixes), computed by the session once.
 */
final class TfGraph {
  private final Set<GraphOperation> dynamic;
  private final List<GraphOperation> order;
  private final Map<Output<?>, Constant> constants = new HashMap<>();

  TfGraph(Graph graph, Session session, Operand<?> input, Operand<?> output) {
    this.dynamic = dependents((GraphOperation) input.op());
    this.order = order((GraphOperation) output.op());
    readConstants(session);
  }

  /** The ops that compute the output from the input, each after the ops it reads. */
  List<GraphOperation> order() {
    return order;
  }

  /** Whether {@code tensor} depends on the input. */
  boolean isDynamic(Operand<?> tensor) {
    return dynamic.contains((GraphOperation) tensor.op());
  }

  /** The value of a tensor that does not depend on the input. */
  Constant constant(Operand<?> tensor) {
    Constant value = constants.get(tensor.asOutput());
    if (value == null) {
      throw new IllegalStateException(tensor.op().name() + " depends on the input");
    }
    return value;
  }

  /** The op that produces {@code tensor}. */
  static GraphOperation producer(Operand<?> tensor) {
    return (GraphOperation) tensor.op();
  }

  /** The ops that read output {@code index} of {@code op}. */
  static Set<GraphOperation> consumers(GraphOperation op, int index) {
    return op.consumers(index);
  }

  /** The one op that reads {@code op}'s first output, or null where none or several do. */
  static GraphOperation soleConsumer(GraphOperation op) {
    Set<GraphOperation> readers = consumers(op, 0);
    return readers.size() == 1 ? readers.iterator().next() : null;
  }

  /** Whether {@code tensor} is a float constant of one element equal to {@code value}. */
  boolean isScalar(Operand<?> tensor, float value) {
    if (isDynamic(tensor)) {
      return false;
    }
    float[] values = constant(tensor).floats();
    return values != null && values.length == 1 && values[0] == value;
  }

  private static Set<GraphOperation> dependents(GraphOperation input) {
    Set<GraphOperation> reached = new HashSet<>(List.of(input));
    Deque<GraphOperation> pending = new ArrayDeque<>(List.of(input));
    while (!pending.isEmpty()) {
      for (GraphOperation consumer : pending.pop().consumers()) {
        if (reached.add(consumer)) {
          pending.push(consumer);
        }
      }
    }
    return reached;
  }

  /** The input-dependent ops the output needs, inputs first (iteratively: networks are deep). */
  private List<GraphOperation> order(GraphOperation output) {
    Set<GraphOperation> done = new LinkedHashSet<>();
    Set<GraphOperation> entered = new HashSet<>();
    Deque<GraphOperation> stack = new ArrayDeque<>(List.of(output));
    while (!stack.isEmpty()) {
      GraphOperation op = stack.peek();
      if (done.contains(op)) {
        stack.pop();
        continue;
      }
      if (entered.add(op)) {
        for (Operand<?> in : op.inputs()) {
          GraphOperation producer = producer(in);
          if (dynamic.contains(producer) && !done.contains(producer)) {
            stack.push(producer);
          }
        }
      } else {
        stack.pop();
        done.add(op);
      }
    }
    return new ArrayList<>(done);
  }

  private void readConstants(Session session) {
    Set<Output<?>> needed = new LinkedHashSet<>();
    for (GraphOperation op : order) {
      for (Operand<?> in : op.inputs()) {
        if (!dynamic.contains(producer(in))) {
          needed.add(in.asOutput());
        }
      }
    }
    // one run: each new set of fetches costs TensorFlow a pass over the whole graph
    List<Output<?>> all = new ArrayList<>(needed);
    if (all.isEmpty()) {
      return;
    }
    Session.Runner runner = session.runner();
    all.forEach(runner::fetch);
    try (Result result = runner.run()) {
      for (int i = 0; i < all.size(); i++) {
        constants.put(all.get(i), toConstant(all.get(i), result.get(i)));
      }
    }
  }

  private static Constant toConstant(Output<?> output, Tensor tensor) {
    long[] shape = tensor.shape().asArray();
    int size = Math.toIntExact(tensor.shape().size());
    if (tensor instanceof TFloat32 floats) {
      float[] values = new float[size];
      floats.copyTo(DataBuffers.of(values, false, false));
      return Constant.ofFloats(shape, values);
    }
    long[] values = new long[size];
    if (tensor instanceof TInt64 longs) {
      longs.copyTo(DataBuffers.of(values, false, false));
    } else if (tensor instanceof TInt32 ints) {
      int[] narrow = new int[size];
      ints.copyTo(DataBuffers.of(narrow, false, false));
      for (int i = 0; i < size; i++) {
        values[i] = narrow[i];
      }
    } else {
      throw new IllegalArgumentException("cannot export " + output.op().name() + ": its "
          + tensor.dataType() + " value is neither float32 nor an integer");
    }
    return Constant.ofInts(shape, values);
  }
}
