package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
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

  @Override
  public TensorShape output(TensorShape in) {
    return in;
  }

  @Override
  public Cost cost(TensorShape in) {
    return Arithmetic.normAct(act, in.channels());
  }
}
