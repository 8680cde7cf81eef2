package dev.netspec.processor.model;

import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/**
 * {@code @Use}: another spec's stages up to {@code lastStage}, built under this stage's name.
 *
 * @param spec the used spec's simple name, for messages
 * @param generatedPackage package of the used spec's generated class
 * @param generatedClass simple name of the used spec's generated class
 * @param stages the used spec's stages, each placed among the others ({@link Stage#among})
 */
public record UseStage(
    String spec, String generatedPackage, String generatedClass, String lastStage,
    int inputChannels, List<NamedStage> stages) implements Stage {

  public UseStage {
    stages = stages.stream().map(NamedStage.placedAmong(stages)).toList();
  }

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

  /** The used spec's stages in order, each in the scope of its name. */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    int x = Graph.INPUT;
    TensorShape shape = in;
    for (NamedStage inner : stages) {
      Graph graph = inner.stage().expand(shape);
      x = g.inline(inner.name(), graph, x);
      shape = graph.at(shape).output();
    }
    return g.build(x);
  }
}
