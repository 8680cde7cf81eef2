package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.IdentityN;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * A hand-written gradient for a piece of the graph, where TensorFlow's own would keep more
 * tensors alive than needed. The piece's result passes through an {@code IdentityN} together with
 * the tensors the hand-written gradient reads (and those it sends gradients to); the automatic
 * backward pass stops at the piece's own ops (through a {@code StopGradient}), and the gradient
 * registered here for {@code IdentityN} calls the piece's {@link Backward}. An {@code IdentityN}
 * built elsewhere gets its usual gradient: each output's gradient passed to its input.
 */
final class GradientRoute {

  /**
   * The backward of one piece. Called while TensorFlow builds the gradients, with the graph locked:
   * it may add ops but must not ask the graph for shapes.
   */
  @FunctionalInterface
  interface Backward {
    /**
     * @param result the piece's result (reading it keeps it alive for the backward pass)
     * @param inputs the routed tensors, as given to {@link #route}
     * @param dResult the gradient of the piece's result
     * @return a gradient for each routed tensor, in order
     */
    List<Operand<?>> gradients(Ops tf, Operand<?> result, List<Operand<?>> inputs,
        Operand<?> dResult);
  }

  /** Pieces by graph and by name of their {@code IdentityN}. */
  private static final Map<ExecutionEnvironment, Map<String, Backward>> PIECES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static boolean registered;

  private GradientRoute() {}

  /**
   * {@code result} through an {@code IdentityN} named {@code name}: its gradient is what {@code
   * backward} computes from {@code inputs}; {@code result}'s own ops get none from TensorFlow.
   */
  @SuppressWarnings("unchecked")
  static <T extends Operand<?>> T route(Ops tf, String name, Operand<?> result,
      List<? extends Operand<?>> inputs, Backward backward) {
    register();
    List<Operand<?>> routed = new ArrayList<>();
    routed.add(tf.stopGradient(result));
    routed.addAll(inputs);
    IdentityN identity = tf.withName(name).identityN(routed);
    PIECES.computeIfAbsent(identity.op().env(), env -> new ConcurrentHashMap<>())
        .put(identity.op().name(), backward);
    return (T) identity.output().get(0);
  }

  /**
   * The number 1 as {@code type}, computed from {@code tensor}'s rank: a computation multiplied
   * by it waits for {@code tensor}. Within a gradient, control dependencies are dropped and a
   * recomputation would otherwise run as soon as its inputs exist, in the forward pass; Grappler
   * folds this to a constant but keeps the wait as a control edge.
   */
  static <T extends TNumber> Operand<T> oneAfter(Ops tf, Operand<?> tensor, Class<T> type) {
    Operand<TInt32> n = tf.math.add(tf.rank(tensor), tf.constant(1));
    return tf.dtypes.cast(tf.math.floorDiv(n, n), type);
  }

  /** A tensor handed to a {@link Backward}, typed as the float tensor it is. */
  @SuppressWarnings("unchecked")
  static Operand<TFloat32> floats(Operand<?> operand) {
    return (Operand<TFloat32>) operand;
  }

  private static synchronized void register() {
    if (registered) {
      return;
    }
    if (!TensorFlow.registerCustomGradient(IdentityN.OP_NAME, GradientRoute::gradient)) {
      throw new IllegalStateException("netspec's training graphs need their own gradient of "
          + IdentityN.OP_NAME + ", and another one is already registered in this process");
    }
    registered = true;
  }

  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> grads) {
    Map<String, Backward> pieces = PIECES.get(op.env());
    Backward backward = pieces == null ? null : pieces.get(op.name());
    if (backward == null) {
      return new ArrayList<>(grads);
    }
    List<Operand<?>> inputs = new ArrayList<>();
    for (int i = 1; i < op.numInputs(); i++) {
      inputs.add(op.input(i));
    }
    List<Operand<?>> result = new ArrayList<>();
    result.add(tf.zerosLike(op.input(0))); // the StopGradient's: never used
    result.addAll(backward.gradients(tf, op.input(0), inputs, grads.get(0)));
    if (result.size() != op.numInputs()) {
      throw new IllegalStateException("the backward of " + op.name() + " gave "
          + (result.size() - 1) + " gradients for " + (op.numInputs() - 1) + " inputs");
    }
    return result;
  }
}
