package dev.netspec.processor.model;

import dev.netspec.processor.ir.Flatten;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/** {@code @Flatten}: [N, H, W, C] to [N, H·W·C], for a fixed size only. */
public record FlattenStage() implements Stage {

  @Override
  public String kind() {
    return "Flatten";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = new Rules(kind()).featureMap(in);
    if (rules.ok() && !in.fixed()) {
      rules.add(null, "@Flatten needs a fixed spatial size, but its input is " + in.describe()
          + "; give @Input a height and width, or use @GlobalPool");
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
    return g.build(g.add("", new Flatten(), Graph.INPUT));
  }
}
