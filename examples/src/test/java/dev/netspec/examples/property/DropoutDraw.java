package dev.netspec.examples.property;

import java.util.Optional;
import org.quicktheories.core.Gen;

/** {@code @Dropout}, on a feature map or on flat features. */
record DropoutDraw(double rate) implements StageDraw {

  static Gen<DropoutDraw> gen() {
    return Draws.of(0.5, 0.0, 0.1, 0.9).map(DropoutDraw::new);
  }

  @Override
  public String name() {
    return "dropout";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    writer.cover(Feature.DROPOUT);
    return Optional.of(new WrittenStage(
        new AnnotationText("Dropout").set("rate", rate).toString(), in));
  }
}
