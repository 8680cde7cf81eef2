package dev.netspec.runtime;

import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A network built into a TensorFlow graph. Generated classes implement it, and describe
 * themselves to the runtime in a {@link NetworkDescriptor}: their shapes, stages and how to build
 * them, which {@link Model#create(NetworkDescriptor, Mode, long)} takes.
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
