package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
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
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(Units.act(g, "", act, Graph.INPUT));
  }
}
