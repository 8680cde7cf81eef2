package dev.netspec.examples.property;

import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** {@code @SqueezeExcite}, beside a {@code @Residual}, {@code @DenseBlock} or {@code @DualPath}. */
record SqueezeExciteDraw(int reduction, int minChannels) {

  /** Absent half of the time. */
  static Arbitrary<Optional<SqueezeExciteDraw>> optional() {
    return Combinators.combine(Arbitraries.of(16, 2, 4, 8), Arbitraries.of(1, 4, 8))
        .as(SqueezeExciteDraw::new).optional(0.5);
  }

  String annotation() {
    return new AnnotationText("SqueezeExcite").setUnless(16, "reduction", reduction)
        .setUnless(1, "minChannels", minChannels) + " ";
  }

  /** The modifier's annotation followed by a space, or nothing. */
  static String annotation(Optional<SqueezeExciteDraw> draw) {
    return draw.map(SqueezeExciteDraw::annotation).orElse("");
  }
}
