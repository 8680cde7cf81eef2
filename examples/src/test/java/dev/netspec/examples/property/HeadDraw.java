package dev.netspec.examples.property;

import dev.netspec.annotations.PoolKind;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The stage that turns the feature map into flat features. */
sealed interface HeadDraw extends StageDraw {

  static Gen<HeadDraw> gen() {
    return Draws.oneOf(
        Generate.enumValues(PoolKind.class).map(GlobalPoolDraw::new),
        Generate.constant(new FlattenDraw()),
        Draws.of(10, 1, 3).zip(Draws.of(PoolKind.AVG, PoolKind.MAX), Draws.of(0.0, 0.5),
            ClassifierDraw::new));
  }

  /** {@code @GlobalPool}. */
  record GlobalPoolDraw(PoolKind kind) implements HeadDraw {
    @Override
    public String name() {
      return "globalpool";
    }

    @Override
    public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
      writer.cover(Feature.GLOBAL_POOL);
      AnnotationText text = new AnnotationText("GlobalPool").setUnless(PoolKind.AVG, "value", kind);
      return Optional.of(new WrittenStage(text.toString(), in.flattened(in.channels())));
    }
  }

  /** {@code @Flatten}: the network's input size must be fixed. */
  record FlattenDraw() implements HeadDraw {
    @Override
    public String name() {
      return "flatten";
    }

    @Override
    public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
      writer.cover(Feature.FLATTEN);
      return Optional.of(new WrittenStage("@Flatten",
          in.flattened(in.height() * in.width() * in.channels())));
    }
  }

  /** {@code @Classifier}. */
  record ClassifierDraw(int classes, PoolKind pool, double dropout) implements HeadDraw {
    @Override
    public String name() {
      return "fc";
    }

    @Override
    public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
      writer.cover(Feature.CLASSIFIER);
      writer.coverIf(dropout > 0, Feature.CLASSIFIER_DROPOUT);
      AnnotationText text = new AnnotationText("Classifier").set("classes", classes)
          .setUnless(PoolKind.AVG, "pool", pool).setUnless(0.0, "dropout", dropout);
      return Optional.of(new WrittenStage(text.toString(), in.flattened(classes)));
    }
  }
}
