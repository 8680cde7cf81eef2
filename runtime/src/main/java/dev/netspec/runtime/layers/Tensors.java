package dev.netspec.runtime.layers;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Ops without variables that reshape or rescale NHWC and flat tensors, and shape checks. */
final class Tensors {

  private Tensors() {}

  /** Concatenates NHWC tensors along the channels; one tensor is returned as it is. */
  static Operand<TFloat32> concatChannels(Ops tf, List<Operand<TFloat32>> parts) {
    require(!parts.isEmpty(), "concatChannels: nothing to concatenate");
    return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(3));
  }

  /** The element-wise sum of one or more tensors of one shape, left to right. */
  static Operand<TFloat32> sum(Ops tf, List<Operand<TFloat32>> terms) {
    require(!terms.isEmpty(), "add: nothing to add");
    Operand<TFloat32> total = terms.get(0);
    for (Operand<TFloat32> term : terms.subList(1, terms.size())) {
      total = tf.math.add(total, term);
    }
    return total;
  }

  /**
   * An NHWC tensor split along the channels into parts of {@code sizes} channels, in order; the
   * sizes must add up to its channels. One part is the tensor as it is.
   */
  static List<Operand<TFloat32>> split(Ops tf, Operand<TFloat32> x, int... sizes) {
    int channels = channels(x, "split");
    require(sizes.length > 0 && Arrays.stream(sizes).allMatch(size -> size > 0)
        && Arrays.stream(sizes).sum() == channels,
        "split: parts of " + Arrays.toString(sizes) + " channels do not make up "
            + channels);
    if (sizes.length == 1) {
      // the gradient of a one-way split builds a one-input Concat, which TensorFlow rejects
      return List.of(x);
    }
    return List.copyOf(tf.splitV(x, tf.constant(sizes), tf.constant(3), (long) sizes.length)
        .output());
  }

  /** The channels {@code [from, from + count)} of an NHWC tensor. */
  static Operand<TFloat32> slice(Ops tf, Operand<TFloat32> x, int from, int count) {
    int channels = channels(x, "slice");
    require(from >= 0 && count >= 1 && (long) from + count <= channels,
        "slice: channels " + from + " + " + count + " outside " + channels);
    return from == 0 && count == channels ? x
        : tf.slice(x, tf.constant(new int[] {0, 0, 0, from}),
            tf.constant(new int[] {-1, -1, -1, count}));
  }

  /**
   * {@code x} scaled by {@code gate}: {@code [N, 1, 1, C]} (one factor per image and channel) or
   * x's shape.
   */
  static Operand<TFloat32> gate(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gate) {
    long channels = channels(x, "gate");
    require(gate.shape().numDimensions() == 4 && gate.shape().get(3) == channels,
        "gate: needs a gate of the " + channels + " channels [batch, 1, 1, " + channels
            + "] or the input's shape, got " + gate.shape());
    return tf.math.mul(x, gate);
  }

  /** {@code [N, H, W, C] -> [N, H·W·C]} (NHWC order); height and width must be static. */
  static Operand<TFloat32> flatten(Ops tf, Operand<TFloat32> x) {
    Shape shape = x.shape();
    require(shape.numDimensions() == 4 && shape.get(1) > 0 && shape.get(2) > 0
        && shape.get(3) > 0, "flatten: needs a static height, width and channels, got " + shape);
    long features = shape.get(1) * shape.get(2) * shape.get(3);
    return tf.reshape(x, tf.constant(new long[] {-1, features}));
  }

  /** {@code x / max(‖x‖₂, 1e-12)} over each row of {@code [N, F]}, as PyTorch's normalize. */
  static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
    require(x.shape().numDimensions() == 2,
        "l2Normalize: expects flat [batch, features], got " + x.shape());
    Operand<TFloat32> squares = tf.reduceSum(tf.math.mul(x, x), tf.constant(new int[] {1}),
        ReduceSum.keepDims(true));
    // max(‖x‖, 1e-12) = sqrt(max(‖x‖², 1e-24)).
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squares, tf.constant(1e-24f))));
  }

  /** The static channel count of an NHWC tensor. */
  static int channels(Operand<TFloat32> x, String what) {
    Shape shape = x.shape();
    if (shape.isUnknown() || shape.numDimensions() != 4 || shape.get(3) < 0) {
      throw new IllegalArgumentException(
          what + ": expects [batch, height, width, channels] with static channels, got " + shape);
    }
    return (int) shape.get(3);
  }

  /** The size of {@code axis}: a constant when static, else read at run time. */
  static Operand<TInt32> dim(Ops tf, Operand<TFloat32> x, int axis) {
    long size = x.shape().get(axis);
    if (size >= 0) {
      return tf.constant((int) size);
    }
    return tf.stridedSlice(tf.shape(x), Indices.at(axis));
  }

  /** Re-states a static channel count that an op with run-time arguments lost. */
  static Operand<TFloat32> withChannels(Ops tf, Operand<TFloat32> y, long channels) {
    Shape shape = y.shape();
    if (!shape.isUnknown() && shape.numDimensions() == 4 && shape.get(3) == channels) {
      return y;
    }
    Operand<TInt32> leading = tf.stridedSlice(tf.shape(y), Indices.range(0, 3));
    return tf.reshape(y, tf.concat(
        List.of(leading, tf.constant(new int[] {(int) channels})), tf.constant(0)));
  }

  /** An IllegalArgumentException with {@code message} unless {@code condition} holds. */
  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
