package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Tensors.dim;
import static dev.netspec.runtime.layers.Tensors.require;

import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Max;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** PyTorch's {@code MaxPool2d} and {@code AvgPool2d}, and global pooling. */
final class PoolLayer {

  private PoolLayer() {}

  /**
   * Symmetric padding ({@code -inf} for max, zeros for average, counted in the divisor when
   * {@code countPadding}, PyTorch's {@code count_include_pad}), and with {@code ceil} PyTorch's
   * ceil mode: a last partial window unless it would start in the right/bottom padding; the part
   * of it beyond the padded input never counts in an average.
   */
  static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Pooling kind, int kernel,
      int stride, int padding, boolean ceil, boolean countPadding) {
    Objects.requireNonNull(kind, "kind");
    int c = Tensors.channels(x, "pool");
    require(kernel >= 1, "pool: kernel must be >= 1, got " + kernel);
    require(stride >= 1, "pool: stride must be >= 1, got " + stride);
    require(padding >= 0 && padding <= kernel / 2,
        "pool: padding must be between 0 and half the kernel (" + kernel / 2 + "), got " + padding);
    boolean dynamicOverhang = false;
    long[] overhang = new long[3];
    for (int axis = 1; axis <= 2; axis++) {
      long size = x.shape().get(axis);
      if (size < 0) {
        dynamicOverhang |= ceil;
      } else {
        require(PoolGeometry.outputSize(size, kernel, stride, padding, ceil) >= 1,
            "pool: a " + kernel + "x" + kernel + " window does not fit a "
                + (axis == 1 ? "height" : "width") + " of " + size + " padded by " + padding);
        overhang[axis] = PoolGeometry.overhang(size, kernel, stride, padding, ceil);
      }
    }
    boolean overhangs = dynamicOverhang || overhang[1] > 0 || overhang[2] > 0;
    List<Long> window = List.of(1L, (long) kernel, (long) kernel, 1L);
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    if (padding == 0 && !overhangs) {
      return kind == Pooling.MAX
          ? tf.nn.maxPool(x, tf.constant(new int[] {1, kernel, kernel, 1}),
              tf.constant(new int[] {1, stride, stride, 1}), "VALID")
          : tf.nn.avgPool(x, window, strides, "VALID");
    }
    Operand<TInt32> extraH = ceilOverhang(tf, x, 1, kernel, stride, padding, ceil, overhang[1]);
    Operand<TInt32> extraW = ceilOverhang(tf, x, 2, kernel, stride, padding, ceil, overhang[2]);
    Operand<TInt32> amounts = paddings(tf, padding, extraH, extraW);
    Operand<TFloat32> y;
    if (kind == Pooling.MAX) {
      Operand<TFloat32> padded = tf.pad(x, amounts, tf.constant(Float.NEGATIVE_INFINITY));
      y = tf.nn.maxPool(padded, tf.constant(new int[] {1, kernel, kernel, 1}),
          tf.constant(new int[] {1, stride, stride, 1}), "VALID");
    } else {
      Operand<TFloat32> padded = tf.pad(x, amounts, tf.constant(0f));
      y = tf.nn.avgPool(padded, window, strides, "VALID");
      if (overhangs || !countPadding) {
        // AvgPool divides by kernel²; rescale by the share of each window that counts
        Operand<TInt32> maskShape = tf.stack(
            List.of(tf.constant(1), dim(tf, x, 1), dim(tf, x, 2), tf.constant(1)));
        Operand<TFloat32> mask = tf.fill(maskShape, tf.constant(1f));
        mask = tf.pad(mask, paddings(tf, padding, tf.constant(0), tf.constant(0)),
            tf.constant(countPadding ? 1f : 0f));
        mask = tf.pad(mask, paddings(tf, 0, extraH, extraW), tf.constant(0f));
        Operand<TFloat32> share = tf.nn.avgPool(mask, window, strides, "VALID");
        y = tf.math.div(y, share);
      }
    }
    return Tensors.withChannels(tf, y, c);
  }

  /**
   * Average or maximum over height and width: {@code [N, H, W, C] -> [N, C]}, or {@code [N, 1, 1,
   * C]} with {@code keepDims}.
   */
  static Operand<TFloat32> global(Ops tf, Operand<TFloat32> x, Pooling kind, boolean keepDims) {
    Tensors.channels(x, "globalPool");
    Operand<TInt32> axes = tf.constant(new int[] {1, 2});
    return kind == Pooling.MAX ? tf.max(x, axes, Max.keepDims(keepDims))
        : tf.math.mean(x, axes, Mean.keepDims(keepDims));
  }

  /** The ceil-mode overhang along an axis: a constant for a static size, else computed. */
  private static Operand<TInt32> ceilOverhang(Ops tf, Operand<TFloat32> x, int axis, int kernel,
      int stride, int padding, boolean ceil, long staticOverhang) {
    if (!ceil || x.shape().get(axis) >= 0) {
      return tf.constant((int) staticOverhang);
    }
    Operand<TInt32> size = dim(tf, x, axis);
    Operand<TInt32> s = tf.constant(stride);
    Operand<TInt32> one = tf.constant(1);
    // out = ceil((size + 2p - k) / s) + 1, less one if the last window starts at or beyond size + p
    Operand<TInt32> out = tf.math.add(
        tf.math.floorDiv(tf.math.add(size, tf.constant(2 * padding - kernel + stride - 1)), s), one);
    Operand<TInt32> lastStart = tf.math.mul(tf.math.sub(out, one), s);
    Operand<TInt32> tooFar = tf.dtypes.cast(
        tf.math.greaterEqual(lastStart, tf.math.add(size, tf.constant(padding))), TInt32.class);
    out = tf.math.sub(out, tooFar);
    Operand<TInt32> reach = tf.math.add(tf.math.mul(tf.math.sub(out, one), s),
        tf.constant(kernel - 2 * padding));
    return tf.math.maximum(tf.math.sub(reach, size), tf.constant(0));
  }

  /** {@code [[0,0],[p, p+extraH],[p, p+extraW],[0,0]]}. */
  private static Operand<TInt32> paddings(Ops tf, int p, Operand<TInt32> extraH,
      Operand<TInt32> extraW) {
    Operand<TInt32> start = tf.constant(p);
    Operand<TInt32> none = tf.constant(new int[] {0, 0});
    return tf.stack(List.of(none,
        tf.stack(List.of(start, tf.math.add(start, extraH))),
        tf.stack(List.of(start, tf.math.add(start, extraW))),
        none));
  }
}
