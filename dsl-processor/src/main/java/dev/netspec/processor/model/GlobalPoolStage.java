package dev.netspec.processor.model;

import dev.netspec.annotations.PoolKind;
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
  public TensorShape output(TensorShape in) {
    return TensorShape.flat(in.channels());
  }

  @Override
  public Cost cost(TensorShape in) {
    return Cost.NONE;
  }
}
