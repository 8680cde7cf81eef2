package dev.netspec.runtime.layers;

import java.util.Locale;

/**
 * One convolution configuration as PyTorch's {@code Conv2d} states it: input and output channels,
 * groups, a square kernel, stride, symmetric zero padding and dilation. The key under which a
 * kernel path is verified once per process ({@link KernelCheck}).
 */
public record ConvSpec(
    int inChannels, int outChannels, int groups, int kernel, int stride, int padding,
    int dilation) {

  public ConvSpec {
    if (inChannels < 1 || outChannels < 1 || groups < 1 || kernel < 1 || stride < 1
        || padding < 0 || dilation < 1) {
      throw new IllegalArgumentException("not a convolution: " + describe(inChannels, outChannels,
          groups, kernel, stride, padding, dilation));
    }
    if (inChannels % groups != 0 || outChannels % groups != 0) {
      throw new IllegalArgumentException(groups + " groups must divide both the " + inChannels
          + " input and the " + outChannels + " output channels");
    }
  }

  public int inPerGroup() {
    return inChannels / groups;
  }

  public int outPerGroup() {
    return outChannels / groups;
  }

  /** How far one output position reaches into the padded input: {@code dilation·(k−1)+1}. */
  public int reach() {
    return dilation * (kernel - 1) + 1;
  }

  /** The output size along an axis of {@code size}, as PyTorch computes it. */
  public long outputSize(long size) {
    return (size + 2L * padding - reach()) / stride + 1;
  }

  /**
   * Whether TensorFlow's {@code SAME} padding is this convolution's symmetric padding whatever
   * the input's size: undilated, stride 1, padded by half an odd kernel on each side. Such a
   * convolution needs no padded copy of its input, which the filter's gradient would otherwise
   * keep alive next to the input itself.
   */
  public boolean paddingIsSame() {
    return stride == 1 && dilation == 1 && padding > 0 && 2 * padding == kernel - 1;
  }

  @Override
  public String toString() {
    return describe(inChannels, outChannels, groups, kernel, stride, padding, dilation);
  }

  private static String describe(int in, int out, int groups, int kernel, int stride, int padding,
      int dilation) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d→%d, %dx%d", in, out,
        kernel, kernel));
    if (groups > 1) {
      s.append(String.format(Locale.ROOT, ", %d groups", groups));
    }
    s.append(String.format(Locale.ROOT, ", stride %d, padding %d", stride, padding));
    if (dilation > 1) {
      s.append(String.format(Locale.ROOT, ", dilation %d", dilation));
    }
    return s.toString();
  }
}
