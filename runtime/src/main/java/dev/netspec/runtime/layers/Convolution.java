package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Index;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * PyTorch's {@code Conv2d} (symmetric zero padding, stride, dilation, groups) built from
 * TensorFlow ops on one {@link ConvPath}, for an NHWC input and an HWIO filter {@code [k, k,
 * in/groups, out]}. The one place that turns a convolution into ops: {@link Layers#conv} builds
 * networks with it and {@link KernelCheck} verifies exactly what it builds.
 */
final class Convolution {
  private final Ops tf;

  Convolution(Ops tf) {
    this.tf = tf;
  }

  /**
   * {@code spec} applied to {@code x} on {@code path}.
   *
   * @param repad in memory-efficient training, an undilated, ungrouped padded convolution on the
   *     native path pads again in its gradient instead of keeping the padded copy
   */
  Operand<TFloat32> build(Operand<TFloat32> x, Operand<TFloat32> filter, ConvSpec spec,
      ConvPath path, boolean repad) {
    if (path == ConvPath.DECLARED) {
      return declared(x, filter, spec);
    }
    if (path == ConvPath.TAPS) {
      return taps(pad(x, spec.padding()), filter, spec);
    }
    boolean split = path.splits();
    int stride = path.unstrided() ? 1 : spec.stride();
    Operand<TFloat32> y;
    if (spec.paddingIsSame()) {
      y = op(x, filter, spec.groups(), 1, "SAME", split);
    } else if (repad && path == ConvPath.NATIVE && spec.groups() == 1 && spec.dilation() == 1
        && spec.padding() > 0) {
      y = repadding(x, filter, stride, spec.padding());
    } else {
      Operand<TFloat32> padded = pad(x, spec.padding());
      y = spec.dilation() == 1
          ? op(padded, filter, spec.groups(), stride, "VALID", split)
          : dilated(padded, filter, spec, split);
    }
    return path.unstrided() ? every(spec.stride(), y) : y;
  }

  /** {@code spec} as one Conv2D with explicit padding, dilations and the grouped filter. */
  private Operand<TFloat32> declared(Operand<TFloat32> x, Operand<TFloat32> filter,
      ConvSpec spec) {
    long p = spec.padding();
    long d = spec.dilation();
    return tf.nn.conv2d(x, filter, strides(spec.stride()), "EXPLICIT",
        Conv2d.explicitPaddings(List.of(0L, 0L, p, p, p, p, 0L, 0L)),
        Conv2d.dilations(List.of(1L, d, d, 1L)));
  }

  /**
   * One TensorFlow convolution with {@code padding} {@code VALID} or {@code SAME}: a single
   * Conv2D with the grouped filter, or one per group concatenated when {@code split}.
   */
  Operand<TFloat32> op(Operand<TFloat32> x, Operand<TFloat32> filter, int groups, int stride,
      String padding, boolean split) {
    List<Long> strides = strides(stride);
    if (groups == 1 || !split) {
      return tf.nn.conv2d(x, filter, strides, padding);
    }
    List<Output<TFloat32>> inputs = tf.split(tf.constant(3), x, (long) groups).output();
    List<Output<TFloat32>> filters = tf.split(tf.constant(3), filter, (long) groups).output();
    List<Operand<TFloat32>> outputs = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      outputs.add(tf.nn.conv2d(inputs.get(g), filters.get(g), strides, padding));
    }
    return tf.concat(outputs, tf.constant(3));
  }

  /**
   * The gradients, with respect to {@code input} and {@code filter}, of an ungrouped convolution
   * of {@code input} by {@code filter} with TensorFlow's {@code padding} ({@code VALID} or {@code
   * SAME}), given the gradient of its output: the kernels of the native path's gradient.
   */
  static List<Operand<TFloat32>> gradients(Ops ops, Operand<TFloat32> input,
      Operand<TFloat32> filter, Operand<TFloat32> dOutput, int stride, String padding) {
    List<Long> strides = strides(stride);
    return List.of(
        ops.nn.conv2dBackpropInput(ops.shape(input), filter, dOutput, strides, padding),
        ops.nn.conv2dBackpropFilter(input, ops.shape(filter), dOutput, strides, padding));
  }

  private static List<Long> strides(int stride) {
    return List.of(1L, (long) stride, (long) stride, 1L);
  }

  /** {@code x} with PyTorch's symmetric zero padding of height and width. */
  private Operand<TFloat32> pad(Operand<TFloat32> x, int padding) {
    return padding == 0 ? x
        : tf.pad(x, tf.constant(spatialPadding(padding)), tf.constant(0f));
  }

  /** {@code [[0, 0], [p, p], [p, p], [0, 0]]}: PyTorch's symmetric padding of an NHWC tensor. */
  private static int[][] spatialPadding(int padding) {
    return new int[][] {{0, 0}, {padding, padding}, {padding, padding}, {0, 0}};
  }

  /** Every {@code stride}-th row and column of {@code y}, starting with the first. */
  private Operand<TFloat32> every(int stride, Operand<TFloat32> y) {
    return stride == 1 ? y : tf.stridedSlice(y, Indices.all(), Indices.step(stride),
        Indices.step(stride), Indices.all());
  }

  /**
   * A padded convolution for memory-efficient training, whose gradient pads the input again
   * instead of keeping the padded copy: TensorFlow's would keep that copy alive for the filter's
   * gradient next to the input, which the activation before it keeps anyway. It costs a few
   * percent of a training step, hence not the default.
   */
  private Operand<TFloat32> repadding(
      Operand<TFloat32> x, Operand<TFloat32> filter, int stride, int padding) {
    int[][] amounts = spatialPadding(padding);
    Operand<TFloat32> y = tf.nn.conv2d(pad(x, padding), filter, strides(stride), "VALID");
    return GradientRoute.route(tf, "conv_gradient", y, List.of(x, filter),
        (ops, result, inputs, dResult) -> {
          Operand<TFloat32> input = GradientRoute.floats(inputs.get(0));
          Operand<TFloat32> dOutput = GradientRoute.floats(dResult);
          // the padding waits for the output's gradient
          Operand<TInt32> late = ops.math.mul(ops.constant(amounts),
              GradientRoute.oneAfter(ops, dOutput, TInt32.class));
          Operand<TFloat32> padded = ops.pad(input, late, ops.constant(0f));
          Operand<TFloat32> weights = GradientRoute.floats(inputs.get(1));
          List<Operand<TFloat32>> valid = gradients(ops, padded, weights, dOutput, stride, "VALID");
          Operand<TFloat32> dInput = ops.slice(valid.get(0),
              ops.constant(new int[] {0, padding, padding, 0}), ops.shape(input));
          return List.of(dInput, valid.get(1));
        });
  }

  /**
   * A VALID dilated convolution built as SpaceToBatchND + Conv2D + BatchToSpaceND (the gradient
   * TensorFlow registers for Conv2D with dilations is wrong), strided by subsampling.
   */
  private Operand<TFloat32> dilated(
      Operand<TFloat32> x, Operand<TFloat32> filter, ConvSpec spec, boolean split) {
    int dilation = spec.dilation();
    Operand<TInt32> block = tf.constant(new int[] {dilation, dilation});
    // pad the end of each axis to a multiple of the dilation; crop it again afterwards
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> amounts = tf.stack(List.of(
        tf.stack(List.of(zero, roundUpExtra(x, 1, dilation))),
        tf.stack(List.of(zero, roundUpExtra(x, 2, dilation)))));
    Operand<TFloat32> batched = tf.spaceToBatchNd(x, block, amounts);
    Operand<TFloat32> conv = op(batched, filter, spec.groups(), 1, "VALID", split);
    Operand<TFloat32> y =
        Tensors.withChannels(tf, tf.batchToSpaceNd(conv, block, amounts), spec.outChannels());
    return every(spec.stride(), y);
  }

  /** {@code (-size) mod multiple} for axis {@code axis}: a constant when the size is static. */
  private Operand<TInt32> roundUpExtra(Operand<TFloat32> x, int axis, int multiple) {
    long size = x.shape().get(axis);
    if (size >= 0) {
      return tf.constant((int) Math.floorMod(-size, (long) multiple));
    }
    return tf.math.floorMod(tf.math.neg(Tensors.dim(tf, x, axis)), tf.constant(multiple));
  }

  /**
   * The convolution as a sum over its k² taps: the tap at {@code (i, j)} multiplies the padded
   * input's rows {@code i·d, i·d + s, …} and columns {@code j·d, j·d + s, …} by its weights.
   * Gradients come from StridedSlice, MatMul, Mul and Sum, not from a convolution kernel.
   */
  private Operand<TFloat32> taps(Operand<TFloat32> padded, Operand<TFloat32> filter,
      ConvSpec spec) {
    int groups = spec.groups();
    int inPerGroup = spec.inPerGroup();
    int outPerGroup = spec.outPerGroup();
    Operand<TInt32> outShape = null;
    Operand<TFloat32> sum = null;
    for (int i = 0; i < spec.kernel(); i++) {
      for (int j = 0; j < spec.kernel(); j++) {
        Operand<TFloat32> window = tf.stridedSlice(padded, Indices.all(), tap(spec, i),
            tap(spec, j), Indices.all());
        if (outShape == null) {
          outShape = outputShape(window, spec.outChannels());
        }
        // [in/groups, out]
        Operand<TFloat32> weights = tf.stridedSlice(filter, Indices.at(i), Indices.at(j),
            Indices.all(), Indices.all());
        Operand<TFloat32> term;
        if (groups == 1) {
          term = tf.linalg.matMul(
              tf.reshape(window, tf.constant(new int[] {-1, spec.inChannels()})), weights);
        } else {
          // [rows, groups, in/groups, 1] · [1, groups, in/groups, out/groups], summed over in
          Operand<TFloat32> rows = tf.reshape(window,
              tf.constant(new int[] {-1, groups, inPerGroup, 1}));
          Operand<TFloat32> grouped = tf.reshape(tf.linalg.transpose(
                  tf.reshape(weights, tf.constant(new int[] {inPerGroup, groups, outPerGroup})),
                  tf.constant(new int[] {1, 0, 2})),
              tf.constant(new int[] {1, groups, inPerGroup, outPerGroup}));
          term = tf.sum(tf.math.mul(rows, grouped), tf.constant(2));
        }
        sum = sum == null ? term : tf.math.add(sum, term);
      }
    }
    return tf.reshape(sum, outShape);
  }

  /** {@code [batch, height, width, channels]} of a window: constant where the sizes are static. */
  private Operand<TInt32> outputShape(Operand<TFloat32> window, int channels) {
    Shape shape = window.shape();
    if (shape.numDimensions() == 4 && shape.get(1) >= 0 && shape.get(2) >= 0) {
      return tf.constant(new int[] {-1, (int) shape.get(1), (int) shape.get(2), channels});
    }
    return tf.concat(List.of(tf.stridedSlice(tf.shape(window), Indices.range(0, 3)),
        tf.constant(new int[] {channels})), tf.constant(0));
  }

  /** Rows {@code offset·d}, {@code + s}, … that tap {@code offset} sees along one axis. */
  private static Index tap(ConvSpec spec, int offset) {
    long start = (long) offset * spec.dilation();
    long fromEnd = spec.reach() - 1 - start;
    return fromEnd == 0 ? Indices.sliceFrom(start, spec.stride())
        : Indices.slice(start, -fromEnd, spec.stride());
  }
}
