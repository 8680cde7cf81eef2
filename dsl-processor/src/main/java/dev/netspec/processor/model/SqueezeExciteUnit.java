package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.ir.Activation;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Gate;
import dev.netspec.processor.ir.GlobalPool;
import dev.netspec.processor.ir.Graph;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code @SqueezeExcite} on a block: global average pool, 1×1 conv with bias {@code fc1} to {@code
 * max(C / reduction, minChannels)}, ReLU, 1×1 conv with bias {@code fc2} to C, sigmoid, scale.
 */
public record SqueezeExciteUnit(int reduction, int minChannels) {
  static final String ANNOTATION = "SqueezeExcite";

  public List<Problem> check() {
    List<Problem> problems = new ArrayList<>();
    if (reduction < 1) {
      problems.add(Problem.onModifier(ANNOTATION, "reduction",
          "@SqueezeExcite(reduction = " + reduction + ") must be at least 1"));
    }
    if (minChannels < 1) {
      problems.add(Problem.onModifier(ANNOTATION, "minChannels",
          "@SqueezeExcite(minChannels = " + minChannels + ") must be at least 1"));
    }
    return problems;
  }

  /** The squeezed width for {@code channels}. */
  public int hidden(int channels) {
    return Math.max(channels / reduction, minChannels);
  }

  /**
   * The gate in {@code scope} on {@code x} of {@code channels} channels; returns the scaled
   * {@code x}.
   */
  public int expand(Graph.Builder g, String scope, int x, int channels) {
    return excite(g, scope, x, hidden(channels), channels, Act.RELU, Act.SIGMOID);
  }

  /**
   * torchvision's {@code SqueezeExcitation} in {@code scope} on {@code x} of {@code channels}
   * channels: {@code pool}, {@code fc1} to {@code hidden}, {@code act} (its node named after it),
   * {@code fc2}, {@code gate} and {@code scale}; returns the scaled {@code x}.
   */
  static int excite(Graph.Builder g, String scope, int x, int hidden, int channels, Act act,
      Act gate) {
    int s = g.add(Graph.join(scope, "pool"), new GlobalPool(PoolKind.AVG, true), x);
    s = g.add(Graph.join(scope, "fc1"), Conv.of(hidden, 1, 1).biased(), s);
    s = Units.act(g, Graph.join(scope, act.name().toLowerCase(Locale.ROOT)), act, s);
    s = g.add(Graph.join(scope, "fc2"), Conv.of(channels, 1, 1).biased(), s);
    s = g.add(Graph.join(scope, gate.name().toLowerCase(Locale.ROOT)), new Activation(gate), s);
    return g.add(Graph.join(scope, "scale"), new Gate(), x, s);
  }
}
