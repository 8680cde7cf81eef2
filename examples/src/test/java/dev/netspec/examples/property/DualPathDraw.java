package dev.netspec.examples.property;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.netspec.annotations.Act;
import java.util.Optional;
import org.quicktheories.core.Gen;

/**
 * {@code @DualPath}, with {@code @SqueezeExcite} at times. Drawn by the grouped 3×3's width R and
 * its groups G, a divisor of R. k_R is R at the spec's first {@code @DualPath} width, so {@code
 * kR = R × firstWidth / width} where that is whole; where it is not (a wider stage after a narrow
 * first), {@code kR = R} makes the 3×3 R × width / firstWidth wide, still a multiple of R (the
 * widths are powers of two).
 */
record DualPathDraw(int blocks, int width, int inc, int bottleneckWidth, int groupIndex,
    int stride, Optional<SqueezeExciteDraw> squeezeExcite) implements StageDraw {

  static Gen<DualPathDraw> gen() {
    Gen<Integer> blocks = integers().between(1, 2);
    Gen<Integer> widths = Draws.of(16, 8, 32, 64);
    Gen<Integer> incs = Draws.of(4, 1, 2, 8);
    Gen<Integer> bottleneckWidths = Draws.of(8, 4, 16, 32);
    Gen<Integer> groupIndices = integers().between(0, 5);
    Gen<Integer> strides = Draws.of(1, 2);
    Gen<Optional<SqueezeExciteDraw>> squeezeExcites = SqueezeExciteDraw.optional();
    return in -> new DualPathDraw(blocks.generate(in), widths.generate(in), incs.generate(in),
        bottleneckWidths.generate(in), groupIndices.generate(in), strides.generate(in),
        squeezeExcites.generate(in));
  }

  @Override
  public String name() {
    return "dualpath";
  }

  private int kR(int firstWidth) {
    return bottleneckWidth * firstWidth % width == 0 ? bottleneckWidth * firstWidth / width
        : bottleneckWidth;
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    if (in.flat()) {
      return Optional.empty();
    }
    AnnotationText text = new AnnotationText("DualPath").set("blocks", blocks).set("width", width)
        .set("inc", inc).set("kR", kR(writer.firstDualPathWidth(width)))
        .set("G", Divisors.pick(bottleneckWidth, groupIndex)).setUnless(1, "stride", stride);
    writer.cover(Feature.DUAL_PATH);
    writer.coverIf(stride > 1, Feature.DUAL_PATH_DOWN);
    writer.coverIf(squeezeExcite.isPresent(), Feature.SQUEEZE_EXCITE_ON_DUAL_PATH);
    writer.activation(Act.DEFAULT);
    return Optional.of(new WrittenStage(SqueezeExciteDraw.annotation(squeezeExcite) + text,
        in.windowed(1, 0, stride, false).withChannels(width + (blocks + 2) * inc)));
  }
}
