package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The stages that only take flat features. */
sealed interface FeatureDraw extends StageDraw {

  static Gen<FeatureDraw> gen() {
    return Draws.oneOf(
        Draws.of(16, 1, 4, 32).zip(Draws.of(true, false), Generate.enumValues(Act.class),
            DenseDraw::new),
        Generate.constant(new NormalizeDraw()));
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
