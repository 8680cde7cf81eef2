package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@code @BatchNorm}, on a feature map or on flat features.
 *
 * @param epsilon -1 for the network's
 */
record BatchNormDraw(double epsilon, double momentum, Act act) implements StageDraw {

  static Gen<BatchNormDraw> gen() {
    return Draws.of(-1.0, 1e-3, 0.1).zip(Draws.of(0.1, 0.01, 1.0), Generate.enumValues(Act.class),
        BatchNormDraw::new);
  }

  @Override
  public String name() {
    return "bn";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    AnnotationText text = new AnnotationText("BatchNorm").setUnless(-1.0, "epsilon", epsilon)
        .setUnless(0.1, "momentum", momentum).setUnless(Act.NONE, "act", act);
    writer.cover(Feature.BATCH_NORM);
    writer.coverIf(epsilon > 0, Feature.BATCH_NORM_OWN_EPSILON);
    writer.coverIf(in.flat(), Feature.BATCH_NORM_ON_FEATURES);
    writer.activation(act);
    return Optional.of(new WrittenStage(text.toString(), in));
  }
}
