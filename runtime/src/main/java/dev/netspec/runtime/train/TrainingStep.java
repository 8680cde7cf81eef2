package dev.netspec.runtime.train;

import java.util.Map;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A step of training as the trainer drives it, in one process or as a cluster's chief. */
interface TrainingStep {

  /** Forward, backward and update at {@code step} (0-based over the run) with {@code rate}. */
  TrainingGraph.StepResult step(TFloat32 images, TInt32 labels, long step, double rate);

  /** The optimizer's state variables: names and shapes, in creation order. */
  Map<String, Shape> slotShapes();

  /** The optimizer's state by name; the caller closes the tensors. */
  Map<String, TFloat32> readSlots();

  /** Sets optimizer state by name; shapes must match. The caller keeps the tensors. */
  void assignSlots(Map<String, ? extends TFloat32> values);
}
