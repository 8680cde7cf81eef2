package dev.netspec.examples.property;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import java.util.Optional;
import org.quicktheories.core.Gen;

/**
 * {@code @DenseBlock}, with {@code @SqueezeExcite} at times. Fewer layers where the concatenation
 * would grow past {@value #MAX_CHANNELS} channels.
 *
 * @param bottleneck 0 for no 1×1 layer
 */
record DenseBlockDraw(int growth, int layers, int bottleneck, double dropout, Order order,
    Optional<SqueezeExciteDraw> squeezeExcite) implements StageDraw {

  private static final int MAX_CHANNELS = 96;

  static Gen<DenseBlockDraw> gen() {
    Gen<Integer> growths = Draws.of(8, 4, 1, 12, 16);
    Gen<Integer> layers = integers().between(1, 3);
    Gen<Integer> bottlenecks = Draws.of(4, 0, 1, 2);
    Gen<Double> dropouts = Draws.of(0.0, 0.2);
    Gen<Order> orders = Draws.of(Order.NORM_ACT_CONV, Order.CONV_NORM_ACT);
    Gen<Optional<SqueezeExciteDraw>> squeezeExcites = SqueezeExciteDraw.optional();
    return in -> new DenseBlockDraw(growths.generate(in), layers.generate(in),
        bottlenecks.generate(in), dropouts.generate(in), orders.generate(in),
        squeezeExcites.generate(in));
  }

  @Override
  public String name() {
    return "denseblock";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    if (in.flat()) {
      return Optional.empty();
    }
    int room = Math.max(MAX_CHANNELS - in.channels(), growth);
    int l = Math.max(1, Math.min(layers, room / growth));
    AnnotationText text = new AnnotationText("DenseBlock").set("growth", growth).set("layers", l)
        .setUnless(4, "bottleneck", bottleneck).setUnless(0.0, "dropout", dropout)
        .setUnless(Order.NORM_ACT_CONV, "order", order);
    writer.cover(Feature.DENSE_BLOCK);
    writer.coverIf(bottleneck == 0, Feature.DENSE_BLOCK_WITHOUT_BOTTLENECK);
    writer.coverIf(order == Order.CONV_NORM_ACT, Feature.DENSE_BLOCK_CONV_NORM_ACT);
    writer.coverIf(dropout > 0, Feature.DENSE_BLOCK_DROPOUT);
    writer.coverIf(squeezeExcite.isPresent(), Feature.SQUEEZE_EXCITE_ON_DENSE_BLOCK);
    writer.activation(Act.DEFAULT);
    return Optional.of(new WrittenStage(SqueezeExciteDraw.annotation(squeezeExcite) + text,
        in.withChannels(in.channels() + growth * l)));
  }
}
