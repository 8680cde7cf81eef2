package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import java.util.List;

/** {@code @Activation}. */
public record ActivationStage(Act act) implements Stage {

  @Override
  public String kind() {
    return "Activation";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return List.of();
  }

  @Override
  public List<Problem> checkSettings() {
    return List.of();
  }

  @Override
  public TensorShape output(TensorShape in) {
    return in;
  }

  @Override
  public Cost cost(TensorShape in) {
    return Arithmetic.activation(act, in.channels());
  }
}
