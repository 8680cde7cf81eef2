package dev.netspec.examples.property;

import java.util.List;
import java.util.Optional;
import static org.quicktheories.generators.SourceDSL.integers;

import org.quicktheories.core.Gen;

/** A modifier that replaces a residual block's 3×3 convolution. */
sealed interface AttentionDraw {

  /**
   * The modifier's annotation, fitted to the block: {@code in} and {@code out} channels of the
   * convolution it replaces, whose groups are {@code residualGroups}.
   */
  String annotation(int in, int out, int residualGroups);

  /** Absent half of the time; else a selective kernel or split attention. */
  static Gen<Optional<AttentionDraw>> optional() {
    return Draws.<AttentionDraw>oneOf(SelectiveKernelDraw.gen(), SplitAttentionDraw.gen())
        .toOptionals(50);
  }

  /**
   * {@code @SelectiveKernel}: its groups are the block's where those are grouped, else a common
   * divisor of the convolution's channels.
   */
  record SelectiveKernelDraw(int branches, int groupIndex, int reduction, int minDim)
      implements AttentionDraw {

    static Gen<SelectiveKernelDraw> gen() {
      return Draws.of(2, 1, 3).zip(integers().between(0, 5), Draws.of(16, 4, 8),
          Draws.of(32, 8, 16), SelectiveKernelDraw::new);
    }

    @Override
    public String annotation(int in, int out, int residualGroups) {
      int groups = residualGroups > 1 ? residualGroups : Divisors.common(in, out, groupIndex);
      return new AnnotationText("SelectiveKernel").setUnless(2, "branches", branches)
          .setUnless(32, "groups", groups).setUnless(16, "reduction", reduction)
          .setUnless(32, "minDim", minDim) + " ";
    }
  }

  /**
   * {@code @SplitAttention}: its cardinality is the block's groups where those are grouped, else
   * a divisor of the channels that also divides 8 (the attention's width is a multiple of 8); its
   * radix divides the channels of each cardinal group.
   */
  record SplitAttentionDraw(int radixIndex, int cardinalityIndex, int reduction)
      implements AttentionDraw {

    static Gen<SplitAttentionDraw> gen() {
      return integers().between(0, 3).zip(integers().between(0, 3), Draws.of(4, 2, 8),
          SplitAttentionDraw::new);
    }

    @Override
    public String annotation(int in, int out, int residualGroups) {
      int cardinality =
          residualGroups > 1 ? residualGroups : Divisors.common(out, 8, cardinalityIndex);
      List<Integer> radices = Divisors.of(out / cardinality).stream().filter(r -> r <= 4).toList();
      int radix = radices.get(radixIndex % radices.size());
      return new AnnotationText("SplitAttention").setUnless(2, "radix", radix)
          .setUnless(1, "cardinality", cardinality).setUnless(4, "reduction", reduction) + " ";
    }
  }
}
