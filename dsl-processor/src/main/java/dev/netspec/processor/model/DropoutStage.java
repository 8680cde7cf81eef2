package dev.netspec.processor.model;

import java.util.List;

/** {@code @Dropout}. */
public record DropoutStage(double rate) implements Stage {

  @Override
  public String kind() {
    return "Dropout";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return checkSettings();
  }

  @Override
  public List<Problem> checkSettings() {
    return new Rules(kind()).rate("rate", rate).list();
  }

  @Override
  public TensorShape output(TensorShape in) {
    return in;
  }

  @Override
  public Cost cost(TensorShape in) {
    return Cost.NONE;
  }
}
