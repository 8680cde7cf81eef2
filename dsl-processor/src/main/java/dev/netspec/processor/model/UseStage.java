package dev.netspec.processor.model;

import java.util.List;

/**
 * {@code @Use}: another spec's stages up to {@code lastStage}, built under this stage's name.
 *
 * @param spec the used spec's simple name, for messages
 * @param generatedPackage package of the used spec's generated class
 * @param generatedClass simple name of the used spec's generated class
 */
public record UseStage(
    String spec, String generatedPackage, String generatedClass, String lastStage,
    int inputChannels, List<NamedStage> stages) implements Stage {

  @Override
  public String kind() {
    return "Use";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = new Rules(kind()).featureMap(in);
    if (!rules.ok()) {
      return rules.list();
    }
    if (in.channels() != inputChannels) {
      return List.of(Problem.on("value", spec + " takes " + inputChannels
          + " input channels (its @Input), but this stage receives " + in.channels()
          + "; add @Conv(channels = " + inputChannels + ", kernel = 1) before it, or change "
          + spec + "'s @Input(channels)"));
    }
    Walk walk = Walk.of(stages, in);
    return walk.problems().stream()
        .map(p -> Problem.whole("in " + spec + "." + stages.get(walk.failedStage()).name()
            + "() at this input (" + in.describe() + "): " + p.message()))
        .toList();
  }

  /** The used spec's own settings are checked where it is compiled; its stages here, in {@link #check}. */
  @Override
  public List<Problem> checkSettings() {
    return List.of();
  }

  @Override
  public TensorShape output(TensorShape in) {
    List<StageModel> placed = Walk.of(stages, in).stages();
    // The walk starts from this stage's input, so the stride is already the total one.
    return placed.get(placed.size() - 1).output();
  }

  @Override
  public Cost cost(TensorShape in) {
    return Walk.of(stages, in).cost();
  }
}
