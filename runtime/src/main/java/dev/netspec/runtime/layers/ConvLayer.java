package dev.netspec.runtime.layers;

import static dev.netspec.runtime.layers.Tensors.require;

import dev.netspec.runtime.Init;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * PyTorch's {@code Conv2d} with its variables: checks the arguments, makes the weight (and bias)
 * and builds the convolution on the path {@link KernelCheck} trusts on this CPU.
 */
final class ConvLayer {

  private ConvLayer() {}

  /**
   * Symmetric zero padding, then a VALID convolution. Variables {@code weight} {@code [kernel,
   * kernel, in/groups, outChannels]} (Kaiming normal, gain √2, fan as PyTorch computes it for the
   * OIHW layout) and, with {@code bias}, {@code bias} {@code [outChannels]} (zeros).
   */
  static Operand<TFloat32> apply(NetworkScope scope, Operand<TFloat32> x, int outChannels,
      int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
    int in = Tensors.channels(x, "conv");
    require(outChannels >= 1, "conv: channels must be >= 1, got " + outChannels);
    require(kernel >= 1, "conv: kernel must be >= 1, got " + kernel);
    require(stride >= 1, "conv: stride must be >= 1, got " + stride);
    require(padding >= 0, "conv: padding must be >= 0, got " + padding);
    require(dilation >= 1, "conv: dilation must be >= 1, got " + dilation);
    require(groups >= 1 && in % groups == 0 && outChannels % groups == 0,
        "conv: " + groups + " groups must divide both the " + in + " input and the "
            + outChannels + " output channels");
    long reach = (long) dilation * (kernel - 1) + 1;
    for (int axis = 1; axis <= 2; axis++) {
      long size = x.shape().get(axis);
      require(size < 0 || size + 2L * padding >= reach,
          "conv: a " + kernel + "x" + kernel + " kernel (dilation " + dilation + ") does not fit a "
              + (axis == 1 ? "height" : "width") + " of " + size + " padded by " + padding);
    }
    long fan = scope.settings().fanMode() == FanMode.FAN_IN
        ? (long) (in / groups) * kernel * kernel
        : (long) outChannels * kernel * kernel;
    Variable<TFloat32> weight = scope.variable(
        "weight", Shape.of(kernel, kernel, in / groups, outChannels), Init.kaimingNormal(fan), true);
    ConvSpec spec = new ConvSpec(in, outChannels, groups, kernel, stride, padding, dilation);
    ConvPath path = KernelCheck.process().path(spec, scope.training(), scope.memoryEfficient(),
        scope.tf().scope().getDeviceString());
    Operand<TFloat32> y = new Convolution(scope.tf())
        .build(x, scope.read(weight), spec, path, scope.memoryEfficient());
    if (bias) {
      Variable<TFloat32> b = scope.variable("bias", Shape.of(outChannels), Init.zeros(), true);
      y = scope.tf().nn.biasAdd(y, scope.read(b));
    }
    return y;
  }
}
