package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Tensors.require;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Inverted dropout, its masks seeded by {@link DropoutSeeds}. */
final class DropoutLayer {

  private DropoutLayer() {}

  /** Inverted dropout in TRAIN; the identity in INFERENCE or when {@code rate} is 0. */
  static Operand<TFloat32> apply(NetworkScope scope, Operand<TFloat32> x, float rate) {
    require(rate >= 0 && rate < 1, "dropout: rate must be in [0, 1), got " + rate);
    if (!scope.training() || rate == 0) {
      return x;
    }
    Ops tf = scope.tf();
    Operand<TInt64> seed = scope.nextDropoutSeed();
    Operand<TFloat32> uniform =
        tf.random.statelessRandomUniform(tf.shape(x), seed, TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(
        tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant(1f / (1f - rate))));
  }
}
