package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import java.util.List;
import java.util.Optional;

/**
 * {@code @DenseBlock}: DenseNet's dense layers, each concatenating {@code growth} channels; with
 * {@code @SqueezeExcite}, a gate on each layer's new features before the concatenation.
 */
public record DenseBlockStage(
    int growth, int layers, int bottleneck, double dropout, Order order, Act act,
    Optional<SqueezeExciteUnit> squeezeExcite) implements Stage {

  /** A block without modifiers. */
  public DenseBlockStage(int growth, int layers, int bottleneck, double dropout, Order order, Act act) {
    this(growth, layers, bottleneck, dropout, order, act, Optional.empty());
  }

  @Override
  public String kind() {
    return "DenseBlock";
  }

  /** The kind, with its SE gate: "DenseBlock + SE 1/4". */
  @Override
  public String description() {
    return kind() + squeezeExcite.map(se -> " + SE 1/" + se.reduction()).orElse("");
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return attributes(new Rules(kind()).featureMap(in)).list();
  }

  @Override
  public List<Problem> checkSettings() {
    return attributes(new Rules(kind())).list();
  }

  private Rules attributes(Rules rules) {
    rules.positive("growth", growth).positive("layers", layers)
        .notNegative("bottleneck", bottleneck).rate("dropout", dropout);
    squeezeExcite.ifPresent(se -> se.check().forEach(rules::add));
    return rules;
  }

  @Override
  public TensorShape output(TensorShape in) {
    return in.withChannels(in.channels() + growth * layers);
  }

  @Override
  public Cost cost(TensorShape in) {
    long area = in.area();
    Cost total = Cost.NONE;
    for (int j = 0; j < layers; j++) {
      int c = in.channels() + j * growth;
      if (bottleneck > 0) {
        int mid = bottleneck * growth;
        total = total.plus(unit(c, mid, 1, area)).plus(unit(mid, growth, 3, area));
      } else {
        total = total.plus(unit(c, growth, 3, area));
      }
      if (squeezeExcite.isPresent()) {
        total = total.plus(squeezeExcite.get().cost(growth));
      }
    }
    return total;
  }

  /** One BN-act-conv (or conv-BN-act) unit. */
  private Cost unit(int in, int out, int kernel, long area) {
    int normed = order == Order.NORM_ACT_CONV ? in : out;
    return Arithmetic.conv(in, out, kernel, 1, false, area).plus(Arithmetic.normAct(act, normed));
  }
}
