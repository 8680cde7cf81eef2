package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.GradientRoute.floats;
import static dev.netspec.runtime.layers.Tensors.require;

import dev.netspec.runtime.Init;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** The activations; {@code PRELU} has a variable, the others none. */
final class ActivationLayer {

  private ActivationLayer() {}

  /**
   * {@code act} of {@code x}; {@code PRELU} makes variable {@code weight} {@code [channels]}
   * (0.25) in the scope.
   */
  static Operand<TFloat32> apply(NetworkScope scope, Operand<TFloat32> x, Nonlinearity act) {
    Objects.requireNonNull(act, "act");
    Ops tf = scope.tf();
    switch (act) {
      case NONE:
        return x;
      case RELU:
        return relu(scope, x);
      case RELU6:
        return tf.nn.relu6(x);
      case PRELU: {
        long c = x.shape().get(x.shape().numDimensions() - 1);
        require(x.shape().numDimensions() >= 2 && c > 0,
            "PReLU: expects a static last (channel) dimension, got " + x.shape());
        Variable<TFloat32> slope =
            scope.variable("weight", Shape.of(c), Init.constant(0.25f), true);
        return tf.math.sub(tf.nn.relu(x),
            tf.math.mul(scope.read(slope), tf.nn.relu(tf.math.neg(x))));
      }
      case ELU:
        return tf.nn.elu(x);
      case SELU:
        return tf.nn.selu(x);
      case SIGMOID:
        return tf.math.sigmoid(x);
      case TANH:
        // With oneDNN, Grappler fuses an inference BatchNorm and the Tanh after it into one
        // kernel that oneDNN lacks for Tanh, and the run fails; EnsureShape, which passes its
        // input on, keeps the two apart.
        return tf.math.tanh(tf.ensureShape(x, x.shape()));
      case SILU:
        return tf.math.mul(x, tf.math.sigmoid(x));
      case GELU:
        return gelu(tf, x);
      case HARDSWISH:
        return tf.math.mul(x, hardSigmoid(tf, x));
      case HARDSIGMOID:
        return hardSigmoid(tf, x);
      default:
        throw new IllegalArgumentException("unknown activation " + act);
    }
  }

  /** PyTorch's exact GELU, {@code x / 2 · (1 + erf(x / √2))}: not the tanh approximation. */
  private static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> erf = tf.math.erf(tf.math.mul(x, tf.constant((float) (1 / Math.sqrt(2)))));
    return tf.math.mul(tf.math.mul(x, tf.constant(0.5f)), tf.math.add(erf, tf.constant(1f)));
  }

  /** {@code relu6(x + 3) / 6}, as PyTorch's {@code Hardsigmoid}. */
  private static Operand<TFloat32> hardSigmoid(Ops tf, Operand<TFloat32> x) {
    return tf.math.div(tf.nn.relu6(tf.math.add(x, tf.constant(3f))), tf.constant(6f));
  }

  /**
   * ReLU. In training its gradient reads the output, not the input as TensorFlow's does, so the
   * input (typically a BatchNorm's output) need not stay alive for the backward pass.
   */
  private static Operand<TFloat32> relu(NetworkScope scope, Operand<TFloat32> x) {
    Ops tf = scope.tf();
    Operand<TFloat32> y = tf.nn.relu(x);
    if (!scope.training()) {
      return y;
    }
    return GradientRoute.route(tf, "relu_gradient", y, List.of(x), (ops, result, inputs, dResult) ->
        List.of(ops.nn.reluGrad(floats(dResult), floats(result))));
  }
}
