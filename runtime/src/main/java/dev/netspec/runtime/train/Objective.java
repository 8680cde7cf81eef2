package dev.netspec.runtime.train;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.layers.Layers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * What a training step minimizes and measures, built into a {@link dev.netspec.runtime.Mode#TRAIN}
 * model's graph: the loss with label smoothing, top-1/top-5 hits, and the gradient of every
 * trained variable ({@code Graph.addGradients}: TensorFlow Java's {@code Optimizer.minimize}
 * fails once BatchNorm's running statistics exist), each as an optimizer {@link
 * OptimizerGraph.Parameter}. Shared by the single-process step and the synchronous replicas.
 *
 * @param computed a no-op that waits for every gradient
 * @param dropoutSeed the network's dropout seed input; null without dropout
 */
record Objective(Placeholder<TInt32> labels, Operand<TFloat32> loss, Operand<TFloat32> top1,
    Operand<TFloat32> top5, List<OptimizerGraph.Parameter> parameters, Op computed,
    Output<TInt64> dropoutSeed) {

  static Objective build(Ops tf, Model<?> model, TrainingConfig config, Set<String> fresh) {
    Graph graph = model.graph();
    Operand<TFloat32> logits = model.network().output();
    Losses.classes(logits);
    Placeholder<TInt32> labels =
        tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> loss = tf.math.mean(
        Losses.softmaxCrossEntropy(tf, logits, labels, config.labelSmoothing()), tf.constant(0));
    Operand<TFloat32> top1 = Losses.correctInTopK(tf, logits, labels, 1);
    Operand<TFloat32> top5 = Losses.correctInTopK(tf, logits, labels, 5);

    Map<String, Variable<TFloat32>> trainable = model.network().trainableVariables();
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("the network has no trainable variables");
    }
    Output<?>[] gradients = graph.addGradients(loss.asOutput(),
        trainable.values().stream().map(Variable::asOutput).toArray(Output<?>[]::new));
    List<OptimizerGraph.Parameter> parameters = new ArrayList<>();
    List<Op> computed = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, Variable<TFloat32>> e : trainable.entrySet()) {
      @SuppressWarnings("unchecked")
      Output<TFloat32> gradient = (Output<TFloat32>) gradients[i++];
      if (gradient == null) {
        continue; // the loss does not depend on it
      }
      Variable<TFloat32> variable = e.getValue();
      boolean decays = config.decayNormAndBias() || variable.shape().numDimensions() > 1;
      float scale = fresh.contains(e.getKey()) ? 1f
          : (float) config.fineTuning().pretrainedLearningRateScale();
      parameters.add(new OptimizerGraph.Parameter(e.getKey(), variable, gradient,
          decays ? (float) config.weightDecay() : 0f, scale));
      org.tensorflow.Operation producer = gradient.op();
      computed.add(() -> producer);
    }
    // one gate on all gradients, which every update waits for: 2n control edges instead of n²
    Op gradientsComputed = tf.withName("gradients_computed").withControlDependencies(computed)
        .noOp();
    GraphOperation seedInput = graph.operation(Layers.DROPOUT_SEED_INPUT);
    return new Objective(labels, loss, top1, top5, List.copyOf(parameters), gradientsComputed,
        seedInput == null ? null : seedInput.output(0));
  }

  /**
   * {@code runner} fed a batch of {@code images} and their {@code batchLabels}, fetching the loss
   * and the top-1 and top-5 hits first, which {@link #stepResult} reads.
   *
   * @throws IllegalArgumentException when the images do not fit the model or the labels are not
   *     one per image
   */
  Session.Runner feedBatch(Session.Runner runner, Model<?> model, TFloat32 images,
      TInt32 batchLabels) {
    model.checkImages(images.shape());
    if (batchLabels.shape().numDimensions() != 1
        || batchLabels.shape().get(0) != images.shape().get(0)) {
      throw new IllegalArgumentException("labels must have shape [" + images.shape().get(0)
          + "], one per image; got " + batchLabels.shape());
    }
    return runner.feed(model.images(), images).feed(labels, batchLabels)
        .fetch(loss).fetch(top1).fetch(top5);
  }

  /** The loss and hits of a run that {@link #feedBatch} prepared. */
  static TrainingGraph.StepResult stepResult(Result result, TInt32 batchLabels) {
    return new TrainingGraph.StepResult(((TFloat32) result.get(0)).getFloat(),
        Math.round(((TFloat32) result.get(1)).getFloat()),
        Math.round(((TFloat32) result.get(2)).getFloat()), (int) batchLabels.shape().get(0));
  }
}
