package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.Dropout;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Pool;
import dev.netspec.processor.ir.TensorShape;
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

  /** The runtime's transition: {@code norm}, {@code act} and {@code conv} in the stage's scope. */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    int y = Units.denseUnit(g, "", "", outputChannels(in.channels()), 1, act, order, Graph.INPUT);
    if (dropout > 0) {
      y = g.add("dropout", new Dropout(dropout), y);
    }
    return g.build(g.add("pool", new Pool(pool, 2, 2, 0, ceil, true), y));
  }

  @Override
  public boolean initializesFanIn() {
    return true;
  }
}
