package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.PoolKind;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@code @Transition}: left out where the input is smaller than its 2×2 pool; a compression that
 * would leave no channel becomes 1.
 *
 * @param channels -1 to use the compression
 */
record TransitionDraw(double compression, int channels, PoolKind pool, boolean ceil,
    double dropout, Order order) implements StageDraw {

  static Gen<TransitionDraw> gen() {
    Gen<Double> compressions = Draws.of(0.5, 0.25, 0.75, 1.0);
    Gen<Integer> channels = Draws.of(-1, -1, 8, 3);
    Gen<PoolKind> pools = Draws.of(PoolKind.AVG, PoolKind.MAX);
    Gen<Boolean> ceils = Generate.booleans();
    Gen<Double> dropouts = Draws.of(0.0, 0.2);
    Gen<Order> orders = Draws.of(Order.NORM_ACT_CONV, Order.CONV_NORM_ACT);
    return in -> new TransitionDraw(compressions.generate(in), channels.generate(in),
        pools.generate(in), ceils.generate(in), dropouts.generate(in), orders.generate(in));
  }

  @Override
  public String name() {
    return "transition";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    if (in.flat() || in.smallerSide() < 2) {
      return Optional.empty();
    }
    double c = channels < 0 && (int) (in.channels() * compression) < 1 ? 1.0 : compression;
    int out = channels > 0 ? channels : (int) (in.channels() * c);
    AnnotationText text = new AnnotationText("Transition").setUnless(0.5, "compression", c)
        .setUnless(-1, "channels", channels).setUnless(PoolKind.AVG, "pool", pool)
        .setUnless(false, "ceil", ceil).setUnless(0.0, "dropout", dropout)
        .setUnless(Order.NORM_ACT_CONV, "order", order);
    writer.cover(Feature.TRANSITION);
    writer.coverIf(channels > 0, Feature.TRANSITION_CHANNELS);
    writer.coverIf(pool == PoolKind.MAX, Feature.TRANSITION_MAX_POOL);
    writer.coverIf(ceil, Feature.TRANSITION_CEIL);
    writer.coverIf(order == Order.CONV_NORM_ACT, Feature.TRANSITION_CONV_NORM_ACT);
    writer.activation(Act.DEFAULT);
    return Optional.of(new WrittenStage(text.toString(),
        in.windowed(2, 0, 2, ceil).withChannels(out)));
  }
}
