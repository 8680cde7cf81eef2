package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Tensors.require;

import dev.netspec.runtime.Init;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * PyTorch's {@code F.layer_norm} over the last axis: ConvNeXt's {@code LayerNorm2d} on NHWC maps,
 * {@code LayerNorm} on flat features. Each position is normalized by the mean and the biased
 * variance of its channels, then scaled by {@code weight} (ones) and shifted by {@code bias}
 * (zeros), both {@code [C]}. Training and inference compute the same.
 */
final class LayerNormLayer {

  private LayerNormLayer() {}

  static Operand<TFloat32> apply(NetworkScope scope, Operand<TFloat32> x, float epsilon) {
    Shape shape = x.shape();
    int rank = shape.numDimensions();
    require((rank == 2 || rank == 4) && shape.get(rank - 1) > 0,
        "layerNorm: expects [N, C] or [N, H, W, C] with static channels, got " + shape);
    require(epsilon > 0, "layerNorm: epsilon must be > 0, got " + epsilon);
    long c = shape.get(rank - 1);
    Ops tf = scope.tf();
    Operand<TFloat32> weight =
        scope.read(scope.variable("weight", Shape.of(c), Init.ones(), true));
    Operand<TFloat32> bias = scope.read(scope.variable("bias", Shape.of(c), Init.zeros(), true));
    Operand<TInt32> last = tf.constant(new int[] {rank - 1});
    Operand<TFloat32> mean = tf.math.mean(x, last, Mean.keepDims(true));
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance =
        tf.math.mean(tf.math.square(centered), last, Mean.keepDims(true));
    Operand<TFloat32> normalized =
        tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, tf.constant(epsilon))));
    return tf.math.add(tf.math.mul(normalized, weight), bias);
  }
}
