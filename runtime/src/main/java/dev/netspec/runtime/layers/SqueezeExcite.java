package dev.netspec.runtime.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;

/**
 * Squeeze-and-excitation (Hu et al. 2018) on {@code [N, H, W, C]}: global average pool, 1×1 conv
 * with bias {@code fc1} to {@code max(C / reduction, minChannels)}, ReLU, 1×1 conv with bias
 * {@code fc2} to C, sigmoid, and the input scaled channel by channel by the result. Variables
 * under the scope it is applied in, as timm's {@code SEModule} names them: {@code fc1.weight}
 * {@code [1, 1, C, hidden]}, {@code fc1.bias}, {@code fc2.weight}, {@code fc2.bias}.
 */
public record SqueezeExcite(int reduction, int minChannels) {

  public SqueezeExcite {
    ConvUnit.check(reduction >= 1, "SE reduction must be >= 1, got " + reduction);
    ConvUnit.check(minChannels >= 1, "SE minChannels must be >= 1, got " + minChannels);
  }

  /** A gate squeezing C channels to {@code max(C / reduction, 1)}. */
  public static SqueezeExcite of(int reduction) {
    return new SqueezeExcite(reduction, 1);
  }

  public SqueezeExcite minChannels(int minChannels) {
    return new SqueezeExcite(reduction, minChannels);
  }

  /** The squeezed width for {@code channels}. */
  public int hidden(int channels) {
    return Math.max(channels / reduction, minChannels);
  }

  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x) {
    int channels = Tensors.channels(x, "squeeze-excite");
    var tf = scope.tf();
    Operand<TFloat32> s = tf.math.mean(x, tf.constant(new int[] {1, 2}), Mean.keepDims(true));
    s = scope.in("fc1").conv(s, hidden(channels), 1, 1, 0, 1, 1, true);
    s = tf.nn.relu(s);
    s = scope.in("fc2").conv(s, channels, 1, 1, 0, 1, 1, true);
    return tf.math.mul(x, tf.math.sigmoid(s));
  }
}
