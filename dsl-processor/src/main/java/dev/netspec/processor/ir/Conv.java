package dev.netspec.processor.ir;

import java.util.List;

/**
 * PyTorch's {@code Conv2d} with symmetric zero padding: variables {@code weight} {@code [channels,
 * in / groups, kernel, kernel]} and, with {@code bias}, {@code bias} {@code [channels]}.
 *
 * @param channels output channels
 */
public record Conv(int channels, int kernel, int stride, int padding, int dilation, int groups,
    boolean bias) implements Primitive {

  /** A k×k convolution without bias, padded by k / 2, at {@code stride}. */
  public static Conv of(int channels, int kernel, int stride) {
    return new Conv(channels, kernel, stride, kernel / 2, 1, 1, false);
  }

  /** This convolution in {@code groups} groups. */
  public Conv grouped(int groups) {
    return new Conv(channels, kernel, stride, padding, dilation, groups, bias);
  }

  /** This convolution with a bias. */
  public Conv biased() {
    return new Conv(channels, kernel, stride, padding, dilation, groups, true);
  }

  /** Output side (floor), -1 when the input side is dynamic. */
  public static int side(int side, int kernel, int stride, int padding, int dilation) {
    if (side == TensorShape.DYNAMIC) {
      return TensorShape.DYNAMIC;
    }
    return Math.floorDiv(side + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
  }

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape in = Primitive.featureMap(inputs, "conv");
    if (in.channels() % groups != 0 || channels % groups != 0) {
      throw new IllegalArgumentException("conv: " + groups + " groups do not divide "
          + in.channels() + " -> " + channels + " channels");
    }
    return in.resized(side(in.height(), kernel, stride, padding, dilation),
        side(in.width(), kernel, stride, padding, dilation), stride).withChannels(channels);
  }

  @Override
  public List<Parameter> parameters(List<TensorShape> inputs) {
    Parameter weight = Parameter.trainable("weight", channels,
        Primitive.only(inputs, "conv").channels() / groups, kernel, kernel);
    return bias ? List.of(weight, Parameter.trainable("bias", channels)) : List.of(weight);
  }

  @Override
  public long macs(List<TensorShape> inputs) {
    long area = output(inputs).area();
    return area < 0 ? -1
        : (long) kernel * kernel * (inputs.get(0).channels() / groups) * channels * area;
  }

  @Override
  public String describe() {
    return "conv " + kernel + "x" + kernel + (stride > 1 ? " /" + stride : "")
        + (dilation > 1 ? " dilation " + dilation : "") + (groups > 1 ? " groups " + groups : "")
        + (bias ? " +bias" : "") + " -> " + channels;
  }
}
