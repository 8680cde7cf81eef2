package dev.netspec.processor.write;

import com.palantir.javapoet.CodeBlock;
import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.Activation;
import dev.netspec.processor.ir.BatchNorm;
import dev.netspec.processor.ir.Concat;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Graph;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A block that concatenates new features to its input and computes them first with a
 * pre-activation unit on that input (BatchNorm, activation, a k×k convolution at stride 1 padded
 * by k / 2, k odd): a dense layer. The runtime runs such units on its dense-block kernel, which
 * recomputes them in training instead of keeping their activations, and in a memory-efficient
 * network keeps the block's features apart; the generated code hands them the block's features.
 *
 * @param features the expression of the block's features in the generated method
 * @param act the activation of the units the kernel runs
 * @param concat the node that concatenates the new features: the block's output
 */
record DenseLayer(CodeBlock features, Act act, int concat, Map<Integer, PreActivationUnit> units) {

  /**
   * A BatchNorm (the network's settings), an activation ({@code act} -1 for none) and a
   * convolution, each read only by the next; {@code onFeatures} for the layer's first unit, on
   * the block's input.
   */
  record PreActivationUnit(int norm, int act, int conv, boolean onFeatures) {
    List<Integer> nodes() {
      return act < 0 ? List.of(norm, conv) : List.of(norm, act, conv);
    }
  }

  /** The kernel's unit that starts at node {@code node}, or null. */
  PreActivationUnit unitAt(int node) {
    return units.get(node);
  }

  /** {@code unit} as a dense layer, or empty where it is none. */
  static Optional<DenseLayer> match(Graph graph, Unit unit, CodeBlock features) {
    if (!unit.isBlock() || unit.externals().size() != 1 || unit.outputs().size() != 1) {
      return Optional.empty();
    }
    int input = unit.externals().get(0);
    int concat = unit.outputs().get(0);
    Graph.Node last = graph.nodes().get(concat);
    if (!(last.op() instanceof Concat) || last.inputs().size() != 2
        || last.inputs().get(0) != input) {
      return Optional.empty();
    }
    PreActivationUnit first = unitAt(graph, unit, 0, input);
    if (first == null || readers(graph, input) != 2) {
      return Optional.empty();
    }
    Act act = first.act() < 0 ? Act.NONE
        : ((Activation) graph.nodes().get(first.act()).op()).act();
    Map<Integer, PreActivationUnit> units = new HashMap<>();
    units.put(first.norm(), new PreActivationUnit(first.norm(), first.act(), first.conv(), true));
    for (int p = first.nodes().size(); p < unit.nodes().size(); p++) {
      PreActivationUnit later = unitAt(graph, unit, p, null);
      if (later != null && later.act() >= 0 == (act != Act.NONE) && (later.act() < 0
          || ((Activation) graph.nodes().get(later.act()).op()).act() == act)) {
        units.put(later.norm(), later);
        p += later.nodes().size() - 1;
      }
    }
    return Optional.of(new DenseLayer(features, act, concat, Map.copyOf(units)));
  }

  /**
   * The pre-activation unit at position {@code p} of the unit, on {@code input} (any input when
   * null), or null.
   */
  private static PreActivationUnit unitAt(Graph graph, Unit unit, int p, Integer input) {
    List<Integer> nodes = unit.nodes();
    int norm = nodes.get(p);
    Graph.Node normNode = graph.nodes().get(norm);
    if (!(normNode.op() instanceof BatchNorm bn) || bn.epsilon().isPresent()
        || bn.momentum() != BatchNorm.MOMENTUM
        || (input != null && normNode.inputs().get(0) != input.intValue())
        || p + 1 >= nodes.size() || readers(graph, norm) != 1) {
      return null;
    }
    int act = -1;
    int conv = nodes.get(p + 1);
    if (graph.nodes().get(conv).op() instanceof Activation) {
      act = conv;
      if (p + 2 >= nodes.size() || readers(graph, act) != 1
          || graph.nodes().get(act).inputs().get(0) != norm) {
        return null;
      }
      conv = nodes.get(p + 2);
    }
    Graph.Node convNode = graph.nodes().get(conv);
    boolean follows = convNode.inputs().get(0) == (act < 0 ? norm : act);
    return follows && convNode.op() instanceof Conv c && c.stride() == 1 && c.dilation() == 1
        && c.groups() == 1 && !c.bias() && c.kernel() % 2 == 1 && c.padding() == c.kernel() / 2
        ? new PreActivationUnit(norm, act, conv, input != null) : null;
  }

  /** How many nodes read {@code value}. */
  private static int readers(Graph graph, int value) {
    int readers = 0;
    for (Graph.Node node : graph.nodes()) {
      readers += (int) node.inputs().stream().filter(i -> i == value).count();
    }
    return readers;
  }
}
