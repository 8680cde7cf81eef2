package dev.netspec.processor.model;

import dev.netspec.annotations.PoolKind;
import java.util.List;

/** {@code @Classifier}: global pool (on a feature map), dropout, linear layer with bias. */
public record ClassifierStage(int classes, PoolKind pool, double dropout) implements Stage {

  @Override
  public String kind() {
    return "Classifier";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return checkSettings();
  }

  @Override
  public List<Problem> checkSettings() {
    return attributes(new Rules(kind())).list();
  }

  private Rules attributes(Rules rules) {
    return rules.positive("classes", classes).rate("dropout", dropout);
  }

  @Override
  public TensorShape output(TensorShape in) {
    return TensorShape.flat(classes);
  }

  @Override
  public Cost cost(TensorShape in) {
    return new Cost((long) in.channels() * classes + classes, (long) in.channels() * classes);
  }
}
