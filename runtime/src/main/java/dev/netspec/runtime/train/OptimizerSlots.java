package dev.netspec.runtime.train;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableAssigner;
import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * An optimizer's state variables in one model's session, as the trainer saves, restores and zeroes
 * them: the same for a step in one process and for a cluster's chief.
 */
public final class OptimizerSlots {
  private final OptimizerGraph optimizer;
  private final Model<?> model;
  private final VariableAssigner assigner;

  OptimizerSlots(OptimizerGraph optimizer, Model<?> model, VariableAssigner assigner) {
    this.optimizer = optimizer;
    this.model = model;
    this.assigner = assigner;
  }

  /** The state variables: names and shapes, in creation order. */
  public Map<String, Shape> shapes() {
    return optimizer.slotShapes();
  }

  /** The state by name; the caller closes the tensors. */
  public Map<String, TFloat32> read() {
    return optimizer.readSlots(model.session());
  }

  /** Sets state by name; shapes must match. The caller keeps the tensors. */
  public void assign(Map<String, ? extends TFloat32> values) {
    optimizer.assignSlots(model.session(), assigner, values);
  }

  /** Zeroes the state, as at the start of a run. */
  public void reset() {
    optimizer.resetSlots(model.session(), assigner);
  }
}
