package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * {@code @DualPath}, with {@code @SqueezeExcite} at times. Drawn by the grouped 3×3's width R,
 * from which {@code kR = R × 256 / width} follows (the widths divide 256), and its groups G, a
 * divisor of R.
 */
record DualPathDraw(int blocks, int width, int inc, int bottleneckWidth, int groupIndex,
    int stride, Optional<SqueezeExciteDraw> squeezeExcite) implements StageDraw {

  static Arbitrary<DualPathDraw> arbitrary() {
    return Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.of(16, 8, 32, 64),
        Arbitraries.of(4, 1, 2, 8), Arbitraries.of(8, 4, 16, 32),
        Arbitraries.integers().between(0, 5), Arbitraries.of(1, 2), SqueezeExciteDraw.optional())
        .as(DualPathDraw::new);
  }

  @Override
  public String name() {
    return "dualpath";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    if (in.flat()) {
      return Optional.empty();
    }
    AnnotationText text = new AnnotationText("DualPath").set("blocks", blocks).set("width", width)
        .set("inc", inc).set("kR", bottleneckWidth * 256 / width)
        .set("G", Divisors.pick(bottleneckWidth, groupIndex)).setUnless(1, "stride", stride);
    writer.cover(Feature.DUAL_PATH);
    writer.coverIf(stride > 1, Feature.DUAL_PATH_DOWN);
    writer.coverIf(squeezeExcite.isPresent(), Feature.SQUEEZE_EXCITE_ON_DUAL_PATH);
    writer.activation(Act.DEFAULT);
    return Optional.of(new WrittenStage(SqueezeExciteDraw.annotation(squeezeExcite) + text,
        in.windowed(1, 0, stride, false).withChannels(width + (blocks + 2) * inc)));
  }
}
