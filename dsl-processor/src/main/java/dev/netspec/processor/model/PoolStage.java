package dev.netspec.processor.model;

import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Pool;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;
import java.util.Optional;

/** {@code @Pool}: max or average pooling with PyTorch's padding and ceil mode. */
public record PoolStage(PoolKind pool, int kernel, int stride, int padding, boolean ceil)
    implements Stage {

  @Override
  public String kind() {
    return "Pool";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = attributes(new Rules(kind()).featureMap(in));
    if (!in.flat() && rules.valid("kernel", "padding")) {
      rules.fits("kernel", in, kernel, padding);
    }
    return rules.list();
  }

  @Override
  public List<Problem> checkSettings() {
    return attributes(new Rules(kind())).list();
  }

  private Rules attributes(Rules rules) {
    rules.positive("kernel", kernel).positive("stride", stride).notNegative("padding", padding);
    if (rules.valid("kernel", "padding") && padding > kernel / 2) {
      rules.add("padding", "@Pool(padding = " + padding + ") must be at most half the kernel ("
          + kernel / 2 + " for kernel " + kernel + "), as in PyTorch");
    }
    return rules;
  }

  @Override
  public Optional<String> strideAttribute() {
    return Optional.of("stride");
  }

  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(g.add("", new Pool(pool, kernel, stride, padding, ceil, true), Graph.INPUT));
  }
}
