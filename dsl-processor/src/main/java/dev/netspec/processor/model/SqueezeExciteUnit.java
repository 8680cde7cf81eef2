package dev.netspec.processor.model;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code @SqueezeExcite} on a block: global average pool, 1×1 conv with bias to {@code max(C /
 * reduction, minChannels)}, ReLU, 1×1 conv with bias to C, sigmoid, scale.
 */
public record SqueezeExciteUnit(int reduction, int minChannels) {
  static final String ANNOTATION = "SqueezeExcite";

  public List<Problem> check() {
    List<Problem> problems = new ArrayList<>();
    if (reduction < 1) {
      problems.add(Problem.onModifier(ANNOTATION, "reduction",
          "@SqueezeExcite(reduction = " + reduction + ") must be at least 1"));
    }
    if (minChannels < 1) {
      problems.add(Problem.onModifier(ANNOTATION, "minChannels",
          "@SqueezeExcite(minChannels = " + minChannels + ") must be at least 1"));
    }
    return problems;
  }

  /** The squeezed width for {@code channels}. */
  public int hidden(int channels) {
    return Math.max(channels / reduction, minChannels);
  }

  /** The two 1×1 convolutions with bias, which see one position per image. */
  public Cost cost(int channels) {
    int hidden = hidden(channels);
    return Arithmetic.conv(channels, hidden, 1, 1, true, 1)
        .plus(Arithmetic.conv(hidden, channels, 1, 1, true, 1));
  }
}
