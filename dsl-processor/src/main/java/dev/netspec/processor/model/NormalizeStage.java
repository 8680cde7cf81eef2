package dev.netspec.processor.model;

import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Normalize;
import dev.netspec.processor.ir.TensorShape;
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
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(g.add("", new Normalize(), Graph.INPUT));
  }
}
