package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.PoolKind;
import java.util.List;
import java.util.Optional;

/** {@code @Transition}: BN-act, 1×1 convolution that compresses, 2×2 pool. */
public record TransitionStage(
    double compression, int channels, PoolKind pool, boolean ceil, double dropout, Order order,
    Act act) implements Stage {

  @Override
  public String kind() {
    return "Transition";
  }

  /** PyTorch's {@code int(in * compression)} unless the channels are given. */
  public int outputChannels(int in) {
    return channels > 0 ? channels : (int) (in * compression);
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = attributes(new Rules(kind()).featureMap(in));
    if (in.flat()) {
      return rules.list();
    }
    if (rules.valid("channels", "compression") && outputChannels(in.channels()) < 1) {
      rules.add("compression", "compression " + compression + " of " + in.channels()
          + " channels leaves " + outputChannels(in.channels()) + " channels; use compression ≥ "
          + String.format(java.util.Locale.ROOT, "%.4g", 1.0 / in.channels()) + " or set channels");
    }
    return rules.fits("pool", in, 2, 0).list();
  }

  @Override
  public List<Problem> checkSettings() {
    return attributes(new Rules(kind())).list();
  }

  private Rules attributes(Rules rules) {
    rules.rate("dropout", dropout);
    if (channels != -1 && channels < 1) {
      rules.add("channels", "@Transition(channels = " + channels
          + ") must be at least 1, or -1 to use the compression");
    } else if (channels == -1 && !(compression > 0 && compression <= 1)) {
      rules.add("compression", "@Transition(compression = " + compression + ") must be in (0, 1]");
    }
    return rules;
  }

  /**
   * A transition always pools 2×2 at stride 2; without the pool it is a pre-activation 1×1
   * convolution, which {@code @Conv} declares.
   */
  @Override
  public Optional<String> unstrided(TensorShape in) {
    return Optional.of("@Conv(channels = " + outputChannels(in.channels())
        + ", kernel = 1" + (order == Order.NORM_ACT_CONV ? ", order = Order.NORM_ACT_CONV" : "")
        + ")" + (dropout > 0 ? " and @Dropout(rate = " + dropout + ")" : ""));
  }

  @Override
  public TensorShape output(TensorShape in) {
    return in.resized(
        Arithmetic.poolSide(in.height(), 2, 2, 0, ceil), Arithmetic.poolSide(in.width(), 2, 2, 0, ceil), 2)
        .withChannels(outputChannels(in.channels()));
  }

  @Override
  public Cost cost(TensorShape in) {
    int out = outputChannels(in.channels());
    int normed = order == Order.NORM_ACT_CONV ? in.channels() : out;
    return Arithmetic.conv(in.channels(), out, 1, 1, false, in.area())
        .plus(Arithmetic.normAct(act, normed));
  }
}
