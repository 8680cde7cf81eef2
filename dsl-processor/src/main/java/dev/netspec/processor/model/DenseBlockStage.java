package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Order;
import dev.netspec.processor.ir.Concat;
import dev.netspec.processor.ir.Dropout;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;
import java.util.Optional;

/**
 * {@code @DenseBlock}: DenseNet's dense layers, each concatenating {@code growth} channels; with
 * {@code @SqueezeExcite}, a gate on each layer's new features before the concatenation.
 */
public record DenseBlockStage(
    int growth, int layers, int bottleneck, double dropout, Order order, Act act,
    Optional<SqueezeExciteUnit> squeezeExcite) implements Stage {

  /** A block without modifiers. */
  public DenseBlockStage(int growth, int layers, int bottleneck, double dropout, Order order, Act act) {
    this(growth, layers, bottleneck, dropout, order, act, Optional.empty());
  }

  @Override
  public String kind() {
    return "DenseBlock";
  }

  /** The kind, with its SE gate: "DenseBlock + SE 1/4". */
  @Override
  public String description() {
    return kind() + squeezeExcite.map(se -> " + SE 1/" + se.reduction()).orElse("");
  }

  @Override
  public List<Problem> check(TensorShape in) {
    return attributes(new Rules(kind()).featureMap(in)).list();
  }

  @Override
  public List<Problem> checkSettings() {
    return attributes(new Rules(kind())).list();
  }

  private Rules attributes(Rules rules) {
    rules.positive("growth", growth).repeats("layers", layers)
        .notNegative("bottleneck", bottleneck).rate("dropout", dropout);
    squeezeExcite.ifPresent(se -> se.check().forEach(rules::add));
    return rules;
  }

  /** torchvision's {@code _DenseLayer}s, {@code denselayer1} on, each concatenated to its input. */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    int features = Graph.INPUT;
    for (int i = 1; i <= layers; i++) {
      String layer = "denselayer" + i;
      int y = bottleneck > 0
          ? Units.denseUnit(g, layer, "1", bottleneck * growth, 1, act, order, features)
          : Units.denseUnit(g, layer, "1", growth, 3, act, order, features);
      if (bottleneck > 0) {
        y = Units.denseUnit(g, layer, "2", growth, 3, act, order, y);
      }
      if (squeezeExcite.isPresent()) {
        y = squeezeExcite.get().expand(g, Graph.join(layer, "se"), y, growth);
      }
      if (dropout > 0) {
        y = g.add(Graph.join(layer, "dropout"), new Dropout(dropout), y);
      }
      features = g.add(Graph.join(layer, "concat"), new Concat(), features, y);
    }
    return g.build(features);
  }

  @Override
  public boolean initializesFanIn() {
    return true;
  }
}
