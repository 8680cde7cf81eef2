package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Order;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;
import java.util.Optional;

/**
 * {@code @Conv}: a convolution with its normalization and activation.
 *
 * @param depthwise whether its groups are its input channels, whatever {@code groups} says
 */
public record ConvStage(
    int channels, int kernel, int stride, int padding, int dilation, int groups, boolean bias,
    Norm norm, Act act, Order order, boolean depthwise) implements Stage {

  /** A convolution that is not depthwise, with a BatchNorm or none. */
  public ConvStage(int channels, int kernel, int stride, int padding, int dilation, int groups,
      boolean bias, boolean batchNorm, Act act, Order order) {
    this(channels, kernel, stride, padding, dilation, groups, bias,
        batchNorm ? Norm.BATCH : Norm.NONE, act, order, false);
  }

  /** The groups at this input: its channels for a depthwise convolution. */
  public int groups(TensorShape in) {
    return depthwise ? in.channels() : groups;
  }

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
    if (depthwise) {
      if (rules.valid("channels") && channels % in.channels() != 0) {
        rules.add("channels", "a depthwise convolution makes a whole number of channels per input"
            + " channel: " + channels + " is no multiple of its " + in.channels() + " input"
            + " channels; try channels = " + in.channels());
      }
    } else if (rules.valid("channels", "groups")
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
    if (!depthwise && rules.valid("channels", "groups") && channels % groups != 0) {
      rules.add("groups", channels + " output channels cannot be split into " + groups
          + " groups: groups must divide the output channels (" + channels + "); try groups = "
          + Arithmetic.nearestDivisor(channels, groups));
    }
    return rules.list();
  }

  private Rules attributes(Rules rules) {
    rules.positive("channels", channels).positive("kernel", kernel)
        .positive("stride", stride).positive("dilation", dilation).positive("groups", groups)
        .notNegative("padding", padding);
    if (depthwise && groups != 1) {
      rules.add("groups", "@Conv(depthwise = true) sets the groups to the input channels;"
          + " remove groups = " + groups);
    }
    return rules;
  }

  @Override
  public Optional<String> strideAttribute() {
    return Optional.of("stride");
  }

  /**
   * The runtime's {@code ConvUnit}: scopes {@code conv}, {@code bn} (or {@code norm} for a
   * LayerNorm) and {@code act}.
   */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    Conv conv = new Conv(channels, kernel, stride, padding, dilation, groups(in), bias);
    return g.build(Units.convUnit(g, "", conv, norm, act, order, Graph.INPUT));
  }
}
