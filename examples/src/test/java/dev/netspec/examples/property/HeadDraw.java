package dev.netspec.examples.property;

import dev.netspec.annotations.PoolKind;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** The stage that turns the feature map into flat features. */
sealed interface HeadDraw extends StageDraw {

  static Arbitrary<HeadDraw> arbitrary() {
    return Arbitraries.oneOf(
        Arbitraries.of(PoolKind.class).map(GlobalPoolDraw::new),
        Arbitraries.just(new FlattenDraw()),
        Combinators.combine(Arbitraries.of(10, 1, 3), Arbitraries.of(PoolKind.AVG, PoolKind.MAX),
            Arbitraries.of(0.0, 0.5)).as(ClassifierDraw::new));
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
