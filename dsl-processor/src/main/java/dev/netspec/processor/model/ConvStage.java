package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import java.util.List;
import java.util.Optional;

/** {@code @Conv}: a convolution with its BatchNorm and activation. */
public record ConvStage(
    int channels, int kernel, int stride, int padding, int dilation, int groups, boolean bias,
    boolean norm, Act act, Order order) implements Stage {

  @Override
  public String kind() {
    return "Conv";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = attributes(new Rules(kind()).featureMap(in));
    if (in.flat()) {
      return rules.list();
    }
    if (rules.valid("channels", "groups")
        && (in.channels() % groups != 0 || channels % groups != 0)) {
      String which = in.channels() % groups != 0
          ? in.channels() + " input channels" : channels + " output channels";
      rules.add("groups", which + " cannot be split into " + groups + " groups: groups must divide"
          + " both the input (" + in.channels() + ") and output (" + channels + ") channels; try"
          + " groups = " + Arithmetic.nearestDivisor(Arithmetic.gcd(in.channels(), channels), groups));
    }
    if (rules.valid("kernel", "dilation", "padding")) {
      rules.fits("kernel", in, dilation * (kernel - 1) + 1, padding);
    }
    return rules.list();
  }

  @Override
  public List<Problem> checkSettings() {
    Rules rules = attributes(new Rules(kind()));
    if (rules.valid("channels", "groups") && channels % groups != 0) {
      rules.add("groups", channels + " output channels cannot be split into " + groups
          + " groups: groups must divide the output channels (" + channels + "); try groups = "
          + Arithmetic.nearestDivisor(channels, groups));
    }
    return rules.list();
  }

  private Rules attributes(Rules rules) {
    return rules.positive("channels", channels).positive("kernel", kernel)
        .positive("stride", stride).positive("dilation", dilation).positive("groups", groups)
        .notNegative("padding", padding);
  }

  @Override
  public Optional<String> strideAttribute() {
    return Optional.of("stride");
  }

  @Override
  public TensorShape output(TensorShape in) {
    return in.resized(
        Arithmetic.convSide(in.height(), kernel, stride, padding, dilation),
        Arithmetic.convSide(in.width(), kernel, stride, padding, dilation), stride)
        .withChannels(channels);
  }

  @Override
  public Cost cost(TensorShape in) {
    int normed = order == Order.CONV_NORM_ACT ? channels : in.channels();
    Cost cost = Arithmetic.conv(in.channels(), channels, kernel, groups, bias, output(in).area())
        .plus(Arithmetic.activation(act, normed));
    return norm ? cost.plus(Arithmetic.batchNorm(normed)) : cost;
  }
}
