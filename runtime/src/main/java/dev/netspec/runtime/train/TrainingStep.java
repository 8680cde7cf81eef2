package dev.netspec.runtime.train;

import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A step of training as the trainer drives it, in one process or as a cluster's chief. */
interface TrainingStep {

  /** Forward, backward and update at {@code step} (0-based over the run) with {@code rate}. */
  TrainingGraph.StepResult step(TFloat32 images, TInt32 labels, long step, double rate);

  /** The optimizer's state, which checkpoints save and resumed runs restore. */
  OptimizerSlots slots();
}
