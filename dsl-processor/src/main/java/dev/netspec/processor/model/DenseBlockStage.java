package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import java.util.List;

/** {@code @DenseBlock}: DenseNet's dense layers, each concatenating {@code growth} channels. */
public record DenseBlockStage(
    int growth, int layers, int bottleneck, double dropout, Order order, Act act) implements Stage {

  @Override
  public String kind() {
    return "DenseBlock";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return new Rules(kind()).featureMap(in).positive("growth", growth).positive("layers", layers)
        .notNegative("bottleneck", bottleneck).rate("dropout", dropout).list();
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
    }
    return total;
  }

  /** One BN-act-conv (or conv-BN-act) unit. */
  private Cost unit(int in, int out, int kernel, long area) {
    int normed = order == Order.NORM_ACT_CONV ? in : out;
    return Arithmetic.conv(in, out, kernel, 1, false, area).plus(Arithmetic.normAct(act, normed));
  }
}
