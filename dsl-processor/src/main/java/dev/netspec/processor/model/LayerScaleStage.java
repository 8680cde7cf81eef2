package dev.netspec.processor.model;

import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.LayerScale;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/** {@code @LayerScale}: a learnable factor per channel. */
public record LayerScaleStage(double init) implements Stage {

  @Override
  public String kind() {
    return "LayerScale";
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = new Rules(kind()).featureMap(in);
    checkSettings().forEach(rules::add);
    return rules.list();
  }

  @Override
  public List<Problem> checkSettings() {
    Rules rules = new Rules(kind());
    if (!Double.isFinite(init)) {
      rules.add("init", "@LayerScale(init = " + init + ") must be a finite number; ConvNeXt uses"
          + " 1e-6, the default");
    }
    return rules.list();
  }

  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    return g.build(g.add("", new LayerScale(init), Graph.INPUT));
  }
}
