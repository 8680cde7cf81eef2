package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** {@code @Activation}, on a feature map or on flat features. */
record ActivationDraw(Act act) implements StageDraw {

  static Gen<ActivationDraw> gen() {
    return Generate.enumValues(Act.class).map(ActivationDraw::new);
  }

  @Override
  public String name() {
    return "act";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    writer.cover(Feature.ACTIVATION);
    writer.coverIf(in.flat(), Feature.ACTIVATION_ON_FEATURES);
    writer.activation(act);
    AnnotationText text = new AnnotationText("Activation").setUnless(Act.DEFAULT, "value", act);
    return Optional.of(new WrittenStage(text.toString(), in));
  }
}
