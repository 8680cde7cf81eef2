package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import java.util.List;

/** {@code @Dense}: a fully connected layer on flat features. */
public record DenseStage(int units, boolean bias, Act act) implements Stage {

  @Override
  public String kind() {
    return "Dense";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = new Rules(kind()).positive("units", units);
    if (!in.flat()) {
      rules.add(null, "@Dense needs flat features, but its input is a feature map "
          + in.describe() + "; add @GlobalPool or @Flatten before it");
    }
    return rules.list();
  }

  @Override
  public List<Problem> checkSettings() {
    return new Rules(kind()).positive("units", units).list();
  }

  @Override
  public TensorShape output(TensorShape in) {
    return TensorShape.flat(units);
  }

  @Override
  public Cost cost(TensorShape in) {
    return new Cost((long) in.channels() * units + (bias ? units : 0), (long) in.channels() * units)
        .plus(Arithmetic.activation(act, units));
  }
}
