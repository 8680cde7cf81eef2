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
 * The first unit of a dense layer in a memory-efficient network, as torchvision's {@code
 * memory_efficient}: {@code concat(parts)}, {@code norm1}, {@code act1}, {@code conv1}, where the
 * backward pass computes the concatenation, the BatchNorm and the activation again from the parts
 * instead of keeping them. Only the parts (the block's input and each layer's new features, which
 * the block keeps anyway) and the unit's output stay alive for the gradients, not one
 * concatenation per layer. The gradient is written out here ({@link GradientRoute}).
 */
final class RecomputingDenseUnit {

  private RecomputingDenseUnit() {}

  /** Whether the unit can recompute {@code activation}: its gradient is written out here. */
  static boolean supports(Nonlinearity activation) {
    return activation == Nonlinearity.RELU || activation == Nonlinearity.NONE;
  }

  /**
   * Builds {@code norm1}-{@code act1}-{@code conv1} (a k×k convolution to {@code channels}, padding
   * k / 2) on the concatenation of {@code parts}, with the variables torchvision names.
   */
  static Operand<TFloat32> apply(Layers layer, List<Operand<TFloat32>> parts, int channels,
      int kernel) {
    Nonlinearity activation = layer.activation();
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException("a memory-efficient dense layer pads its k×k convolution"
          + " by k / 2 on each side, so k must be odd, not " + kernel);
    }
    if (!supports(activation)) {
      throw new IllegalArgumentException("a memory-efficient dense layer recomputes ReLU or no"
          + " activation, not " + activation);
    }
    Layers norm = layer.in("norm1");
    Operand<TFloat32> y = norm.batchNorm(layer.concatChannels(parts), layer.epsilon(),
        ConvUnit.MOMENTUM);
    if (activation == Nonlinearity.RELU) {
      y = layer.in("act1").tf().nn.relu(y); // forward only: the gradient is written out below
    }
    Layers conv = layer.in("conv1");
    y = conv.conv(y, channels, kernel, 1, kernel / 2, 1, 1, false);

    List<Operand<?>> inputs = new ArrayList<>(parts);
    inputs.add(norm.read(variable(norm, "weight")));
    inputs.add(norm.read(variable(norm, "bias")));
    inputs.add(conv.read(variable(conv, "weight")));
    Backward backward = new Backward(parts.size(), layer.epsilon(),
        activation == Nonlinearity.RELU);
    return GradientRoute.route(layer.tf(), "recomputed", y, inputs, backward::gradients);
  }

  private static Variable<TFloat32> variable(Layers scope, String name) {
    return scope.store().get(scope.prefix() + name).variable();
  }

  /** The forward again, then the backward of conv1, act1, norm1 and the concatenation. */
  private record Backward(int parts, float epsilon, boolean relu) {

    List<Operand<?>> gradients(Ops tf, Operand<?> result, List<Operand<?>> inputs,
        Operand<?> dResult) {
      List<Operand<TFloat32>> partInputs = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        partInputs.add(Layers.floats(inputs.get(i)));
      }
      Operand<TFloat32> gamma = Layers.floats(inputs.get(parts));
      Operand<TFloat32> beta = Layers.floats(inputs.get(parts + 1));
      Operand<TFloat32> filter = Layers.floats(inputs.get(parts + 2));
      Operand<TFloat32> dOutput = Layers.floats(dResult);

      // Once the output's gradient exists, not earlier and not merged with the forward: the
      // concatenation's axis and the BatchNorm's (empty) statistics inputs are computed from it.
      // A gradient's control dependencies are dropped, and Grappler removes unused pass-throughs.
      Operand<TInt32> lastAxis = tf.math.sub(tf.rank(dOutput), tf.constant(1));
      Operand<TFloat32> empty = tf.slice(tf.reshape(dOutput, tf.constant(new int[] {-1})),
          tf.constant(new int[] {0}), tf.constant(new int[] {0}));
      Operand<TFloat32> x = parts == 1 ? partInputs.get(0) : tf.concat(partInputs, lastAxis);
      FusedBatchNorm<TFloat32, TFloat32> norm = tf.nn.fusedBatchNorm(x, gamma, beta, empty,
          empty, FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(true),
          FusedBatchNorm.dataFormat("NHWC"));
      Operand<TFloat32> activated = relu ? tf.nn.relu(norm.y()) : norm.y();
      // a k×k convolution at stride 1 padded by k / 2, k odd: TensorFlow's SAME
      List<Operand<TFloat32>> dConv = Layers.convGradients(tf, activated, filter, dOutput,
          List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> dActivated = dConv.get(0);
      Operand<TFloat32> dNormalized = relu ? tf.nn.reluGrad(dActivated, activated) : dActivated;
      FusedBatchNormGrad<TFloat32, TFloat32> dNorm = tf.nn.fusedBatchNormGrad(dNormalized, x,
          gamma, norm.reserveSpace1(), norm.reserveSpace2(), norm.reserveSpace3(),
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
