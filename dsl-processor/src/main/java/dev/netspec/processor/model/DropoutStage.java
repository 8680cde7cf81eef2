package dev.netspec.processor.model;

import dev.netspec.processor.ir.Dropout;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
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
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(g.add("", new Dropout(rate), Graph.INPUT));
  }
}
