package dev.netspec.processor.model;

import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.StochasticDepth;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/**
 * {@code @StochasticDepth}: its expansion drops at {@code rate}, the network's maximum, which
 * {@link DepthSchedule} then scales to this stage's place among the network's.
 */
public record StochasticDepthStage(double rate) implements Stage {

  @Override
  public String kind() {
    return "StochasticDepth";
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
    return g.build(g.add("", new StochasticDepth(rate), Graph.INPUT));
  }
}
