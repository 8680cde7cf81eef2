package dev.netspec.runtime.train;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Losses and metrics of a classifier, built into its graph. */
public final class Losses {
  private Losses() {}

  /**
   * Softmax cross-entropy of {@code logits} {@code [N, K]} against class indices {@code labels}
   * {@code [N]}, per example, with PyTorch's label smoothing: the target is {@code 1 - ε + ε/K} on
   * the true class and {@code ε/K} elsewhere. Built on the dense op over one-hot targets, whose
   * gradient TensorFlow defines (the sparse op has none).
   */
  public static Operand<TFloat32> softmaxCrossEntropy(
      Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels, double smoothing) {
    int classes = classes(logits);
    if (!(smoothing >= 0 && smoothing < 1)) {
      throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + smoothing);
    }
    float off = (float) (smoothing / classes);
    float on = (float) (1 - smoothing) + off;
    Operand<TFloat32> targets =
        tf.oneHot(labels, tf.constant(classes), tf.constant(on), tf.constant(off));
    return tf.nn.softmaxCrossEntropyWithLogits(logits, targets).loss();
  }

  /**
   * How many of the {@code labels} are among the {@code k} largest {@code logits} of their row (k
   * capped at the number of classes), as a float scalar.
   */
  public static Operand<TFloat32> correctInTopK(
      Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels, int k) {
    int capped = Math.min(k, classes(logits));
    Operand<TFloat32> hits = tf.dtypes.cast(
        tf.nn.inTopK(logits, labels, tf.constant(capped)), TFloat32.class);
    return tf.sum(hits, tf.constant(0));
  }

  /** The static number of classes of {@code [N, K]} logits. */
  static int classes(Operand<TFloat32> logits) {
    Shape shape = logits.shape();
    if (shape.numDimensions() != 2 || shape.get(1) < 1) {
      throw new IllegalArgumentException("a classifier's output must be [batch, classes] with a "
          + "static number of classes, got " + shape
          + "; end the network with @Classifier (or @GlobalPool and @Dense)");
    }
    return (int) shape.get(1);
  }
}
