package dev.netspec.processor.model;

import dev.netspec.annotations.Act;

/** The size, parameter and MAC arithmetic shared by the stage kinds, as PyTorch computes it. */
public final class Arithmetic {
  private Arithmetic() {}

  /** Output side of a convolution (floor), -1 when the input side is dynamic. */
  public static int convSide(int side, int kernel, int stride, int padding, int dilation) {
    if (side == TensorShape.DYNAMIC) {
      return TensorShape.DYNAMIC;
    }
    return Math.floorDiv(side + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
  }

  /**
   * Output side of a pool, PyTorch's {@code pooling_output_shape}: in ceil mode the last window
   * must start inside the input or its left padding.
   */
  public static int poolSide(int side, int kernel, int stride, int padding, boolean ceil) {
    if (side == TensorShape.DYNAMIC) {
      return TensorShape.DYNAMIC;
    }
    int span = side + 2 * padding - kernel;
    int out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
    if (ceil && (long) (out - 1) * stride >= side + padding) {
      out--;
    }
    return out;
  }

  /** Weights (and bias) of a convolution. */
  public static long convParameters(int in, int out, int kernel, int groups, boolean bias) {
    return (long) kernel * kernel * (in / groups) * out + (bias ? out : 0);
  }

  /** MACs of a convolution producing {@code area} positions, -1 when the area is dynamic. */
  public static long convMacs(int in, int out, int kernel, int groups, long area) {
    return area < 0 ? -1 : (long) kernel * kernel * (in / groups) * out * area;
  }

  public static Cost conv(int in, int out, int kernel, int groups, boolean bias, long area) {
    return new Cost(convParameters(in, out, kernel, groups, bias), convMacs(in, out, kernel, groups, area));
  }

  /** BatchNorm's gamma and beta. */
  public static Cost batchNorm(int channels) {
    return Cost.parameters(2L * channels);
  }

  /** PReLU's slopes; other activations have none. */
  public static Cost activation(Act act, int channels) {
    return Cost.parameters(act == Act.PRELU ? channels : 0);
  }

  /** BatchNorm followed by an activation. */
  public static Cost normAct(Act act, int channels) {
    return batchNorm(channels).plus(activation(act, channels));
  }

  /**
   * timm's {@code make_divisible(v, divisor, min_value)}: {@code v} rounded to the nearest multiple
   * of {@code divisor}, at least {@code minValue}, and never more than 10% below {@code v}.
   */
  public static int makeDivisible(double v, int divisor, int minValue) {
    int rounded = Math.max(minValue, (int) (v + divisor / 2.0) / divisor * divisor);
    return rounded < 0.9 * v ? rounded + divisor : rounded;
  }

  public static int gcd(int a, int b) {
    return b == 0 ? Math.abs(a) : gcd(b, a % b);
  }

  /** The divisor of {@code n} nearest to {@code wanted}, for "try groups = …" fixes. */
  public static int nearestDivisor(int n, int wanted) {
    int best = 1;
    for (int d = 1; d <= n; d++) {
      if (n % d == 0 && Math.abs(d - wanted) < Math.abs(best - wanted)) {
        best = d;
      }
    }
    return best;
  }
}
