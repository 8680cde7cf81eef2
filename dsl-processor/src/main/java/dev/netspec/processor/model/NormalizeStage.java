package dev.netspec.processor.model;

import java.util.List;

/** {@code @Normalize}: unit L2 norm of each image's flat features. */
public record NormalizeStage() implements Stage {

  @Override
  public String kind() {
    return "Normalize";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = new Rules(kind());
    if (!in.flat()) {
      rules.add(null, "@Normalize works on flat features, but its input is a feature map "
          + in.describe() + "; add @GlobalPool, @Flatten or @Dense before it");
    }
    return rules.list();
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
    return Cost.NONE;
  }
}
