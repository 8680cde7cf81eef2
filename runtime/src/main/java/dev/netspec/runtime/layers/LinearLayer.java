package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Tensors.require;

import dev.netspec.runtime.Init;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** PyTorch's {@code Linear} on {@code [N, in]}. */
final class LinearLayer {

  private LinearLayer() {}

  /**
   * {@code x · weight (+ bias)}: variables {@code weight} {@code [in, units]} and {@code bias}
   * {@code [units]}, both uniform on ±1/√in as PyTorch initializes them.
   */
  static Operand<TFloat32> apply(NetworkScope scope, Operand<TFloat32> x, int units,
      boolean bias) {
    require(x.shape().numDimensions() == 2 && x.shape().get(1) > 0,
        "linear: expects [batch, features] with static features, got " + x.shape());
    require(units >= 1, "linear: units must be >= 1, got " + units);
    long in = x.shape().get(1);
    float bound = (float) (1.0 / Math.sqrt(in));
    Variable<TFloat32> weight =
        scope.variable("weight", Shape.of(in, units), Init.uniform(bound), true);
    Operand<TFloat32> y = scope.tf().linalg.matMul(x, scope.read(weight));
    if (bias) {
      Variable<TFloat32> b = scope.variable("bias", Shape.of(units), Init.uniform(bound), true);
      y = scope.tf().nn.biasAdd(y, scope.read(b));
    }
    return y;
  }
}
