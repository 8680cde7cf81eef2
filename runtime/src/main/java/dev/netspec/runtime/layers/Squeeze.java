package dev.netspec.runtime.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** What the channel-attention units share: the spatial squeeze, timm's channel rounding, a sum. */
final class Squeeze {
  private Squeeze() {}

  /** The mean over height and width, kept as a 1×1 map: {@code [N, H, W, C] -> [N, 1, 1, C]}. */
  static Operand<TFloat32> spatialMean(Ops tf, Operand<TFloat32> x) {
    return tf.math.mean(x, tf.constant(new int[] {1, 2}), Mean.keepDims(true));
  }

  /**
   * timm's {@code make_divisible(v, divisor, min_value)}: {@code v} rounded to the nearest multiple
   * of {@code divisor}, at least {@code minValue}, and never more than 10% below {@code v}.
   */
  static int makeDivisible(double v, int divisor, int minValue) {
    int rounded = Math.max(minValue, (int) (v + divisor / 2.0) / divisor * divisor);
    return rounded < 0.9 * v ? rounded + divisor : rounded;
  }

  /** The element-wise sum of one or more tensors of one shape. */
  static Operand<TFloat32> sum(Ops tf, List<Operand<TFloat32>> terms) {
    Operand<TFloat32> total = terms.get(0);
    for (Operand<TFloat32> term : terms.subList(1, terms.size())) {
      total = tf.math.add(total, term);
    }
    return total;
  }

  /**
   * Softmax over axis 1 of {@code [N, B, C]} logits, returned as B weights {@code [N, 1, 1, C]}.
   */
  static List<Operand<TFloat32>> softmaxAcross(Ops tf, Operand<TFloat32> logits, int branches,
      int channels) {
    // softmax works on the last axis: [N, B, C] -> [N, C, B] -> softmax -> B × [N, C, 1]
    Operand<TFloat32> weights =
        tf.nn.softmax(tf.linalg.transpose(logits, tf.constant(new int[] {0, 2, 1})));
    Operand<TInt32> gateShape = tf.constant(new int[] {-1, 1, 1, channels});
    if (branches == 1) {
      // the gradient of a one-way Split builds a one-input Concat, which TensorFlow rejects
      return List.of(tf.reshape(weights, gateShape));
    }
    return tf.split(tf.constant(2), weights, (long) branches).output().stream()
        .map(w -> (Operand<TFloat32>) tf.reshape(w, gateShape))
        .toList();
  }
}
