package dev.netspec.examples.property;

import java.util.Optional;
import org.quicktheories.core.Gen;

/** {@code @SqueezeExcite}, beside a {@code @Residual}, {@code @DenseBlock} or {@code @DualPath}. */
record SqueezeExciteDraw(int reduction, int minChannels) {

  /** Absent half of the time. */
  static Gen<Optional<SqueezeExciteDraw>> optional() {
    return Draws.of(16, 2, 4, 8).zip(Draws.of(1, 4, 8), SqueezeExciteDraw::new).toOptionals(50);
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
