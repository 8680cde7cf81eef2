package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Linear;
import dev.netspec.processor.ir.TensorShape;
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

  /** The linear layer in the stage's scope, its activation in {@code act}. */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(Units.act(g, "act", act, g.add("", new Linear(units, bias), Graph.INPUT)));
  }
}
