package dev.netspec.processor.model;

import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.LayerNorm;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/** {@code @LayerNorm}: a LayerNorm over the channels, on a feature map or flat features. */
public record LayerNormStage(double epsilon) implements Stage {

  @Override
  public String kind() {
    return "LayerNorm";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return checkSettings();
  }

  @Override
  public List<Problem> checkSettings() {
    Rules rules = new Rules(kind());
    if (!(epsilon > 0 && epsilon < 1)) {
      rules.add("epsilon", "@LayerNorm(epsilon = " + epsilon + ") must be in (0, 1); ConvNeXt"
          + " uses 1e-6, the default");
    }
    return rules.list();
  }

  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(g.add("", new LayerNorm(epsilon), Graph.INPUT));
  }
}
