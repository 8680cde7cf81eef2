package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** The stages that only take flat features. */
sealed interface FeatureDraw extends StageDraw {

  static Arbitrary<FeatureDraw> arbitrary() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of(16, 1, 4, 32), Arbitraries.of(true, false),
            Arbitraries.of(Act.class)).as(DenseDraw::new),
        Arbitraries.just(new NormalizeDraw()));
  }

  /** {@code @Dense}. */
  record DenseDraw(int units, boolean bias, Act act) implements FeatureDraw {
    @Override
    public String name() {
      return "dense";
    }

    @Override
    public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
      if (!in.flat()) {
        return Optional.empty();
      }
      writer.cover(Feature.DENSE);
      writer.coverIf(!bias, Feature.DENSE_WITHOUT_BIAS);
      writer.activation(act);
      AnnotationText text = new AnnotationText("Dense").set("units", units)
          .setUnless(true, "bias", bias).setUnless(Act.NONE, "act", act);
      return Optional.of(new WrittenStage(text.toString(), in.flattened(units)));
    }
  }

  /** {@code @Normalize}. */
  record NormalizeDraw() implements FeatureDraw {
    @Override
    public String name() {
      return "normalize";
    }

    @Override
    public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
      if (!in.flat()) {
        return Optional.empty();
      }
      writer.cover(Feature.NORMALIZE);
      return Optional.of(new WrittenStage("@Normalize", in));
    }
  }
}
