package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.BatchNorm;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/** {@code @BatchNorm}: normalization over channels (or flat features), then an activation. */
public record BatchNormStage(double epsilon, double momentum, Act act) implements Stage {

  @Override
  public String kind() {
    return "BatchNorm";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return checkSettings();
  }

  @Override
  public List<Problem> checkSettings() {
    Rules rules = new Rules(kind());
    if (!(epsilon > 0)) {
      rules.add("epsilon", "@BatchNorm(epsilon = " + epsilon + ") must be positive");
    }
    if (!(momentum >= 0 && momentum <= 1)) {
      rules.add("momentum", "@BatchNorm(momentum = " + momentum + ") must be in [0, 1]");
    }
    return rules.list();
  }

  /** The normalization with its own epsilon and momentum in the stage's scope, its activation in {@code act}. */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(Units.act(g, "act", act, g.add("", BatchNorm.of(epsilon, momentum), Graph.INPUT)));
  }
}
