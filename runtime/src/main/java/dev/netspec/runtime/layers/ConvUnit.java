package dev.netspec.runtime.layers;

import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A convolution with optional BatchNorm and an activation, in either order. Variables under the
 * scope it is applied in: {@code conv.weight}, {@code conv.bias} (with {@link #bias(boolean)}),
 * {@code bn.*} (with {@link #norm(boolean)}; over the input channels in {@link
 * UnitOrder#NORM_ACT_CONV}) and {@code act.weight} (PReLU).
 *
 * <p>Immutable; each wither returns a new unit. {@code padding = -1} means {@code dilation ·
 * (kernel - 1) / 2}; {@code act = null} the network's default; {@code epsilon = -1} the network's.
 *
 * @param channels output channels
 */
public record ConvUnit(
    int channels,
    int kernel,
    int stride,
    int padding,
    int dilation,
    int groups,
    boolean bias,
    boolean norm,
    Nonlinearity act,
    UnitOrder order,
    float epsilon) {

  /** BatchNorm momentum in blocks, PyTorch's default. */
  static final float MOMENTUM = 0.1f;

  public ConvUnit {
    Objects.requireNonNull(order, "order");
    check(channels >= 1, "channels must be >= 1, got " + channels);
    check(kernel >= 1, "kernel must be >= 1, got " + kernel);
    check(stride >= 1, "stride must be >= 1, got " + stride);
    check(padding >= -1, "padding must be >= 0 (or -1 for the default), got " + padding);
    check(dilation >= 1, "dilation must be >= 1, got " + dilation);
    check(groups >= 1, "groups must be >= 1, got " + groups);
    check(epsilon > 0 || epsilon == -1, "epsilon must be > 0 (or -1 for the network's), got "
        + epsilon);
  }

  /** A {@code kernel}×{@code kernel} convolution to {@code channels}, stride 1, BN, default act. */
  public static ConvUnit of(int channels, int kernel) {
    return new ConvUnit(channels, kernel, 1, -1, 1, 1, false, true, null,
        UnitOrder.CONV_NORM_ACT, -1);
  }

  public ConvUnit stride(int stride) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  /** Symmetric padding; -1 = {@code dilation · (kernel - 1) / 2}. */
  public ConvUnit padding(int padding) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  public ConvUnit dilation(int dilation) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  public ConvUnit groups(int groups) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  public ConvUnit bias(boolean bias) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  public ConvUnit norm(boolean norm) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  /** The activation; {@code null} = the network's default. */
  public ConvUnit act(Nonlinearity act) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  public ConvUnit order(UnitOrder order) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  /** The BatchNorm epsilon; -1 = the network's. */
  public ConvUnit epsilon(float epsilon) {
    return new ConvUnit(channels, kernel, stride, padding, dilation, groups, bias, norm, act,
        order, epsilon);
  }

  /** The padding applied: the given one, or {@code dilation · (kernel - 1) / 2}. */
  public int effectivePadding() {
    return padding >= 0 ? padding : dilation * (kernel - 1) / 2;
  }

  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x) {
    Nonlinearity activation = act != null ? act : scope.activation();
    float eps = epsilon > 0 ? epsilon : scope.epsilon();
    Operand<TFloat32> y = x;
    if (order == UnitOrder.NORM_ACT_CONV) {
      if (norm) {
        y = scope.in("bn").batchNorm(y, eps, MOMENTUM);
      }
      y = scope.in("act").activation(y, activation);
    }
    y = scope.in("conv").conv(y, channels, kernel, stride, effectivePadding(), dilation, groups,
        bias);
    if (order == UnitOrder.CONV_NORM_ACT) {
      if (norm) {
        y = scope.in("bn").batchNorm(y, eps, MOMENTUM);
      }
      y = scope.in("act").activation(y, activation);
    }
    return y;
  }

  static void check(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
