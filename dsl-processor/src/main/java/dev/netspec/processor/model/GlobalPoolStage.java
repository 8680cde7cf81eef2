package dev.netspec.processor.model;

import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.GlobalPool;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/** {@code @GlobalPool}: [N, H, W, C] to [N, C]. */
public record GlobalPoolStage(PoolKind pool) implements Stage {

  @Override
  public String kind() {
    return "GlobalPool";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return new Rules(kind()).featureMap(in).list();
  }

  @Override
  public List<Problem> checkSettings() {
    return List.of();
  }

  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(g.add("", new GlobalPool(pool, false), Graph.INPUT));
  }
}
