package dev.netspec.examples.property;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.netspec.annotations.Act;
import java.util.List;
import java.util.Optional;
import org.quicktheories.core.Gen;

/**
 * {@code @Use} of another small spec, written for this stage: its {@code @Input(channels)} are the
 * channels here, its size is dynamic, its stages are drawn like this network's, and it has its own
 * activation and epsilon.
 *
 * @param untilIndex 0 for all its stages, else which of them is the last used
 */
record UseDraw(List<StageDraw> stages, int untilIndex, Act activation, double epsilon)
    implements StageDraw {

  static Gen<UseDraw> gen(Gen<StageDraw> stages) {
    return lists().of(stages).ofSizeBetween(1, 3).zip(integers().between(0, 3),
        NetworkDraw.activations(), Draws.of(1e-5, 1e-3), UseDraw::new);
  }

  @Override
  public String name() {
    return "use";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    if (in.flat()) {
      return Optional.empty();
    }
    List<DeclaredStage> used = writer.forUsedSpec(activation).write(stages, in, 0);
    if (used.isEmpty()) {
      return Optional.empty();
    }
    AnnotationText network = new AnnotationText("Network")
        .setCode("input", "@Input(channels = " + in.channels() + ")")
        .setUnless(Act.RELU, "activation", activation).setUnless(1e-5, "epsilon", epsilon);
    String spec = writer.addUsedSpec(network.toString(), used);
    AnnotationText text = new AnnotationText("Use").setCode("value", spec + ".class");
    DeclaredStage last = used.get(used.size() - 1);
    if (untilIndex > 0) {
      last = used.get((untilIndex - 1) % used.size());
      text.set("until", last.method());
      writer.cover(Feature.USE_UNTIL);
    }
    writer.cover(Feature.USE);
    return Optional.of(new WrittenStage(text.toString(), last.stage().output()));
  }
}
