package dev.netspec.runtime;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A network built into a TensorFlow graph. Generated classes implement it; by convention they
 * also declare {@code public static final int INPUT_CHANNELS, INPUT_HEIGHT, INPUT_WIDTH} (-1 for a
 * size known only at run time) and {@code public static G build(Ops tf, Operand<TFloat32> images,
 * Mode mode)}, which {@link Model#create} calls.
 */
public interface NetworkGraph {

  /** The network's output. */
  Operand<TFloat32> output();

  /** Every variable: trainable ones and BatchNorm running statistics. */
  VariableStore variables();

  /** Trainable variables by name, in creation order. */
  default Map<String, Variable<TFloat32>> trainableVariables() {
    return variables().trainable();
  }

  /** The ops that update BatchNorm running statistics; empty in {@link Mode#INFERENCE}. */
  default List<Op> updateOps() {
    return variables().updateOps();
  }
}
