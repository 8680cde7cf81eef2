package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.FusedBatchNormGrad;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A pre-activation unit of a dense layer in training: {@code concat(parts)}, {@code norm},
 * {@code act}, {@code conv}, whose backward pass computes the BatchNorm and the activation again
 * from the unit's input and the batch statistics of the forward pass, instead of keeping the
 * activation alive. With several parts (torchvision's {@code memory_efficient}) it computes the
 * concatenation again too: then only the parts (the block's input and each layer's new features,
 * which the block keeps anyway) and the unit's output stay alive for the gradients. The gradient
 * is written out here ({@link GradientRoute}).
 */
final class RecomputingDenseUnit {

  private RecomputingDenseUnit() {}

  /** Whether the unit can recompute {@code activation}: its gradient is written out here. */
  static boolean supports(Nonlinearity activation) {
    return activation == Nonlinearity.RELU || activation == Nonlinearity.NONE;
  }

  /**
   * Builds the BatchNorm (scope {@code norm}, the network's epsilon), {@code activation} (scope
   * {@code act}) and a k×k convolution without bias to {@code channels}, padding k / 2, k odd
   * (scope {@code conv}) on the concatenation of {@code parts}, with the variables of the scopes.
   */
  static Operand<TFloat32> apply(Layers norm, Layers act, Layers conv, Nonlinearity activation,
      List<Operand<TFloat32>> parts, int channels, int kernel) {
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException("a recomputing dense unit pads its k×k convolution"
          + " by k / 2 on each side, so k must be odd, not " + kernel);
    }
    if (!supports(activation)) {
      throw new IllegalArgumentException("a recomputing dense unit recomputes ReLU or no"
          + " activation, not " + activation);
    }
    Operand<TFloat32> input = norm.concat(parts);
    ConvSpec spec = new ConvSpec(Math.toIntExact(input.shape().get(3)), channels, 1, kernel, 1,
        kernel / 2, 1);
    if (!KernelCheck.process().trustsNative(spec, true, conv.tf().scope().getDeviceString())) {
      // the hand-written gradient below runs the native kernels: only where they are right
      return ordinary(norm, act, conv, activation, input, channels, kernel);
    }
    float epsilon = norm.epsilon();
    BatchNormLayer.TrainingNorm normalized = BatchNormLayer.training(norm.scope(), input,
        epsilon, Layers.MOMENTUM);
    Operand<TFloat32> y = normalized.y();
    if (activation == Nonlinearity.RELU) {
      // forward only: the gradient is written out below
      y = act.tf().nn.relu(y);
    }
    y = conv.conv(y, channels, kernel, 1, kernel / 2, 1, 1, false);

    List<Operand<?>> inputs = new ArrayList<>(parts);
    inputs.add(norm.read(variable(norm, "weight")));
    inputs.add(norm.read(variable(norm, "bias")));
    inputs.add(conv.read(variable(conv, "weight")));
    Backward backward = new Backward(parts.size(), epsilon,
        activation == Nonlinearity.RELU, normalized.op());
    return GradientRoute.route(conv.tf(), "recomputed", y, inputs, backward::gradients);
  }

  /** The same unit of primitives, whose gradient TensorFlow derives. */
  static Operand<TFloat32> ordinary(Layers norm, Layers act, Layers conv, Nonlinearity activation,
      Operand<TFloat32> x, int channels, int kernel) {
    Operand<TFloat32> y = act.activation(norm.batchNorm(x), activation);
    return conv.conv(y, channels, kernel, 1, kernel / 2, 1, 1, false);
  }

  private static Variable<TFloat32> variable(Layers scope, String name) {
    return scope.store().get(scope.prefix() + name).variable();
  }

  /**
   * The forward again, then the backward of conv, act, norm and the concatenation. {@code
   * forward}'s reserve outputs are its batch mean and biased variance (and whatever else its
   * gradient reads): per-channel vectors, read directly rather than routed.
   */
  private record Backward(int parts, float epsilon, boolean relu,
      FusedBatchNorm<TFloat32, TFloat32> forward) {

    List<Operand<?>> gradients(Ops tf, Operand<?> result, List<Operand<?>> inputs,
        Operand<?> dResult) {
      List<Operand<TFloat32>> partInputs = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        partInputs.add(GradientRoute.floats(inputs.get(i)));
      }
      Operand<TFloat32> gamma = GradientRoute.floats(inputs.get(parts));
      Operand<TFloat32> beta = GradientRoute.floats(inputs.get(parts + 1));
      Operand<TFloat32> filter = GradientRoute.floats(inputs.get(parts + 2));
      Operand<TFloat32> dOutput = GradientRoute.floats(dResult);

      // Once the output's gradient exists, not earlier and not merged with the forward: the
      // concatenation's axis and the mean the BatchNorm is computed with depend on it. A
      // gradient's control dependencies are dropped, and Grappler removes unused pass-throughs.
      Operand<TInt32> lastAxis = tf.math.sub(tf.rank(dOutput), tf.constant(1));
      Operand<TFloat32> mean = tf.math.mul(forward.reserveSpace1(),
          GradientRoute.oneAfter(tf, dOutput, TFloat32.class));
      Operand<TFloat32> x = parts == 1 ? partInputs.get(0) : tf.concat(partInputs, lastAxis);
      // the forward's normalization again, with its batch statistics: no pass to compute them
      Operand<TFloat32> normalized = tf.nn.fusedBatchNorm(x, gamma, beta, mean,
          forward.reserveSpace2(), FusedBatchNorm.epsilon(epsilon),
          FusedBatchNorm.isTraining(false), FusedBatchNorm.dataFormat("NHWC")).y();
      Operand<TFloat32> activated = relu ? tf.nn.relu(normalized) : normalized;
      // a k×k convolution at stride 1 padded by k / 2, k odd: TensorFlow's SAME
      List<Operand<TFloat32>> dConv =
          Convolution.gradients(tf, activated, filter, dOutput, 1, "SAME");
      Operand<TFloat32> dActivated = dConv.get(0);
      Operand<TFloat32> dNormalized = relu ? tf.nn.reluGrad(dActivated, activated) : dActivated;
      // The BatchNorm's gradient, and with it the layers before, waits for the filter's: an
      // executor with one inter-op thread would put that off and keep `activated` alive.
      Operand<TFloat32> gammaAfterFilter = tf.math.mul(gamma,
          GradientRoute.oneAfter(tf, dConv.get(1), TFloat32.class));
      FusedBatchNormGrad<TFloat32, TFloat32> dNorm = tf.nn.fusedBatchNormGrad(dNormalized, x,
          gammaAfterFilter, forward.reserveSpace1(), forward.reserveSpace2(),
          forward.reserveSpace3(),
          FusedBatchNormGrad.epsilon(epsilon), FusedBatchNormGrad.isTraining(true),
          FusedBatchNormGrad.dataFormat("NHWC"));

      List<Operand<?>> gradients = new ArrayList<>();
      if (parts == 1) {
        gradients.add(dNorm.xBackprop());
      } else {
        List<Operand<TInt32>> channels = new ArrayList<>();
        for (Operand<TFloat32> part : partInputs) {
          channels.add(tf.gather(tf.shape(part), tf.constant(3), tf.constant(0)));
        }
        gradients.addAll(tf.splitV(dNorm.xBackprop(), tf.stack(channels), tf.constant(3),
            (long) parts).output());
      }
      gradients.add(dNorm.scaleBackprop());
      gradients.add(dNorm.offsetBackprop());
      gradients.add(dConv.get(1));
      return gradients;
    }
  }
}
