package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Order;
import dev.netspec.processor.ir.Activation;
import dev.netspec.processor.ir.BatchNorm;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.LayerNorm;
import dev.netspec.processor.ir.Primitive;

/**
 * The units the families share, with the scope names the runtime gives their variables. Each
 * method adds its nodes to {@code g} after {@code x} and returns the last one.
 */
final class Units {
  private Units() {}

  /** {@code act} in scope {@code name}; no node for {@link Act#NONE}, the identity. */
  static int act(Graph.Builder g, String name, Act act, int x) {
    return act == Act.NONE ? x : g.add(name, new Activation(act), x);
  }

  /** BatchNorm in scope {@code norm}, then {@code act} in scope {@code activation}. */
  static int normAct(Graph.Builder g, String norm, String activation, Act act, int x) {
    return act(g, activation, act, g.add(norm, new BatchNorm(), x));
  }

  /** ConvNeXt's {@code LayerNorm2d} epsilon, which {@link Norm#LAYER} uses. */
  static final double LAYER_NORM_EPSILON = 1e-6;

  /**
   * The runtime's {@code ConvUnit} in {@code scope}: {@code conv}, {@code bn} (a BatchNorm) or
   * {@code norm} (a LayerNorm), and {@code act}, in {@code order}.
   */
  static int convUnit(Graph.Builder g, String scope, Conv conv, Norm norm, Act act,
      Order order, int x) {
    return switch (norm) {
      case NONE -> unit(g, Graph.join(scope, "conv"), null, null, Graph.join(scope, "act"), conv,
          act, order, x);
      case BATCH -> unit(g, Graph.join(scope, "conv"), Graph.join(scope, "bn"), new BatchNorm(),
          Graph.join(scope, "act"), conv, act, order, x);
      case LAYER -> unit(g, Graph.join(scope, "conv"), Graph.join(scope, "norm"),
          new LayerNorm(LAYER_NORM_EPSILON), Graph.join(scope, "act"), conv, act, order, x);
    };
  }

  /**
   * A DenseNet unit in {@code scope}: {@code norm<suffix>}, {@code act<suffix>} and {@code
   * conv<suffix>}, a k×k convolution without bias padded by k / 2, in {@code order}.
   */
  static int denseUnit(Graph.Builder g, String scope, String suffix, int channels, int kernel,
      Act act, Order order, int x) {
    return unit(g, Graph.join(scope, "conv" + suffix), Graph.join(scope, "norm" + suffix),
        new BatchNorm(), Graph.join(scope, "act" + suffix), Conv.of(channels, kernel, 1), act, order, x);
  }

  /** @param norm the normalization's scope; null for none */
  private static int unit(Graph.Builder g, String convName, String norm, Primitive normOp,
      String activation, Conv conv, Act act, Order order, int x) {
    int y = x;
    if (order == Order.NORM_ACT_CONV) {
      y = norm == null ? y : g.add(norm, normOp, y);
      y = act(g, activation, act, y);
    }
    y = g.add(convName, conv, y);
    if (order == Order.CONV_NORM_ACT) {
      y = norm == null ? y : g.add(norm, normOp, y);
      y = act(g, activation, act, y);
    }
    return y;
  }
}
