package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Tensors.require;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * torchvision's {@code stochastic_depth(x, p, "row", training)}: in TRAIN each image (row of the
 * batch) is kept with probability {@code 1 - p} and then scaled by {@code 1 / (1 - p)}, or zeroed;
 * the identity in INFERENCE or when {@code p} is 0. The masks are seeded as dropout's, by {@link
 * DropoutSeeds}, so a resumed run draws the same ones.
 */
final class StochasticDepthLayer {

  private StochasticDepthLayer() {}

  static Operand<TFloat32> apply(NetworkScope scope, Operand<TFloat32> x, float rate) {
    require(rate >= 0 && rate <= 1, "stochasticDepth: rate must be in [0, 1], got " + rate);
    if (!scope.training() || rate == 0) {
      return x;
    }
    Ops tf = scope.tf();
    int rank = x.shape().numDimensions();
    require(rank >= 2, "stochasticDepth: expects a batch, got " + x.shape());
    // one draw per image, broadcast over the rest: [N, 1, …, 1]
    List<Operand<TInt32>> dims = new ArrayList<>();
    dims.add(Tensors.dim(tf, x, 0));
    for (int axis = 1; axis < rank; axis++) {
      dims.add(tf.constant(1));
    }
    Operand<TFloat32> uniform = tf.random.statelessRandomUniform(tf.stack(dims),
        scope.nextDropoutSeed(), TFloat32.class);
    Operand<TFloat32> keep =
        tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
    // torchvision divides by the survival rate only where some survive
    float scale = rate < 1 ? 1f / (1f - rate) : 1f;
    return tf.math.mul(x, tf.math.mul(keep, tf.constant(scale)));
  }
}
