package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A VALID, undilated 2-D convolution with PyTorch's {@code groups}: filter {@code [k, k, in/groups,
 * out]} (HWIO), output channel {@code o} seeing only the input channels of group {@code o /
 * (out/groups)}.
 *
 * <p>TensorFlow's Conv2D accepts a filter with fewer input channels than the input only with
 * oneDNN, and its gradient then fails, so groups > 1 are built as Split + one Conv2D per group +
 * Concat. This class is the one place to add a faster path (depthwise, oneDNN) later.
 */
final class GroupedConvolution {

  private GroupedConvolution() {}

  static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, int groups, int stride) {
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    if (groups == 1) {
      return tf.nn.conv2d(x, filter, strides, "VALID");
    }
    List<Output<TFloat32>> inputs = tf.split(tf.constant(3), x, (long) groups).output();
    List<Output<TFloat32>> filters = tf.split(tf.constant(3), filter, (long) groups).output();
    List<Operand<TFloat32>> outputs = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      outputs.add(tf.nn.conv2d(inputs.get(g), filters.get(g), strides, "VALID"));
    }
    return tf.concat(outputs, tf.constant(3));
  }
}
