package dev.netspec.processor.ir;

import java.util.ArrayList;
import java.util.List;

/**
 * A stage as an immutable graph of primitives. Nodes are in an order where every input comes
 * before its consumer; an input is a node's index, or {@link #INPUT} for the stage's input. A
 * node's name is the scope its variables live in, relative to the stage ({@code 0.conv1}; empty
 * for the stage's own scope), so that {@code weight} of node {@code 0.conv1} is the variable
 * {@code <stage>.0.conv1.weight}.
 *
 * @param output the node whose value the stage yields, or {@link #INPUT} for an identity
 */
public record Graph(List<Node> nodes, int output) {
  /** The stage's input, as an input of a node. */
  public static final int INPUT = -1;

  /** One primitive applied to the values of {@code inputs}. */
  public record Node(String name, Primitive op, List<Integer> inputs) {
    public Node {
      inputs = List.copyOf(inputs);
    }
  }

  public Graph {
    nodes = List.copyOf(nodes);
    if (output < INPUT || output >= nodes.size()) {
      throw new IllegalArgumentException("output " + output + " is not a node");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The shapes, variables and cost of this graph applied to {@code input}. */
  public ShapedGraph at(TensorShape input) {
    return ShapedGraph.of(this, input);
  }

  /** "conv1" in "layer1" is "layer1.conv1"; an empty part adds nothing. */
  public static String join(String scope, String name) {
    return scope.isEmpty() ? name : name.isEmpty() ? scope : scope + "." + name;
  }

  /** Adds nodes one at a time; each method returns the index of the node it added. */
  public static final class Builder {
    private final List<Node> nodes = new ArrayList<>();

    private Builder() {}

    /** {@code op} named {@code name} on the values of {@code inputs}. */
    public int add(String name, Primitive op, int... inputs) {
      List<Integer> edges = new ArrayList<>(inputs.length);
      for (int input : inputs) {
        if (input < INPUT || input >= nodes.size()) {
          throw new IllegalArgumentException("input " + input + " of " + name + " is not a node");
        }
        edges.add(input);
      }
      if (edges.isEmpty()) {
        throw new IllegalArgumentException(name + " has no input");
      }
      nodes.add(new Node(name, op, edges));
      return nodes.size() - 1;
    }

    /**
     * The nodes of {@code graph} on {@code input}, their names inside {@code scope}: how a stage
     * made of other stages (a used spec's) is expanded. Returns the index of its output.
     */
    public int inline(String scope, Graph graph, int input) {
      int offset = nodes.size();
      for (Node node : graph.nodes()) {
        List<Integer> edges = node.inputs().stream()
            .map(i -> i == INPUT ? input : i + offset).toList();
        nodes.add(new Node(join(scope, node.name()), node.op(), edges));
      }
      return graph.output() == INPUT ? input : graph.output() + offset;
    }

    /** The graph whose output is node {@code output}, or {@link #INPUT} for an identity. */
    public Graph build(int output) {
      return new Graph(nodes, output);
    }
  }
}
