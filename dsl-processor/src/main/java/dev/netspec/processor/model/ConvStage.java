package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
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

  /** The runtime's {@code ConvUnit}: scopes {@code conv}, {@code bn} and {@code act}. */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    Conv conv = new Conv(channels, kernel, stride, padding, dilation, groups, bias);
    return g.build(Units.convUnit(g, "", conv, norm, act, order, Graph.INPUT));
  }
}
