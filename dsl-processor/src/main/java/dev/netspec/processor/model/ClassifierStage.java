package dev.netspec.processor.model;

import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.Dropout;
import dev.netspec.processor.ir.GlobalPool;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Linear;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;

/** {@code @Classifier}: global pool (on a feature map), dropout, linear layer with bias. */
public record ClassifierStage(int classes, PoolKind pool, double dropout) implements Stage {

  @Override
  public String kind() {
    return "Classifier";
  }

  /**
   * The runtime's classifier head global-pools its input first, which takes a feature map only:
   * on flat features the same head is a {@code @Dense} (after a {@code @Dropout} where it drops).
   */
  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = attributes(new Rules(kind()));
    if (in.flat()) {
      boolean drops = dropout > 0 && rules.valid("dropout");
      rules.add(null, "@Classifier global-pools a feature map [N, H, W, C], but its input is"
          + " already flat: [N, " + in.channels() + "], after a @GlobalPool, @Flatten, @Dense or"
          + " @Classifier; remove a @GlobalPool right before it (the classifier pools itself), or"
          + " classify the flat features with " + (drops ? "@Dropout(rate = " + dropout + ") and " : "")
          + "@Dense(units = " + classes + ") in its place (the classifier's "
          + (drops ? "dropout and " : "") + "linear layer with bias)");
    }
    return rules.list();
  }

  @Override
  public List<Problem> checkSettings() {
    return attributes(new Rules(kind())).list();
  }

  private Rules attributes(Rules rules) {
    return rules.positive("classes", classes).rate("dropout", dropout);
  }

  /** The runtime's classifier head: its linear layer's variables in the stage's own scope. */
  @Override
  public Graph expand(TensorShape in) {
    Graph.Builder g = Graph.builder();
    int x = g.add("", new GlobalPool(pool, false), Graph.INPUT);
    if (dropout > 0) {
      x = g.add("", new Dropout(dropout), x);
    }
    return g.build(g.add("", new Linear(classes, true), x));
  }
}
