package dev.netspec.processor.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A graph walked from one input shape: every node's output shape, the variables of every node
 * with their names relative to the stage, and the summed cost.
 *
 * @param shapes each node's output shape, by index
 * @param parameters every variable, in node order
 * @param cost the trainable parameters' count and the MACs of all nodes
 */
public record ShapedGraph(
    Graph graph, TensorShape input, List<TensorShape> shapes, List<Parameter> parameters,
    Cost cost) {

  public ShapedGraph {
    shapes = List.copyOf(shapes);
    parameters = List.copyOf(parameters);
  }

  static ShapedGraph of(Graph graph, TensorShape input) {
    List<TensorShape> shapes = new ArrayList<>(graph.nodes().size());
    List<Parameter> parameters = new ArrayList<>();
    long trainable = 0;
    long macs = 0;
    for (Graph.Node node : graph.nodes()) {
      List<TensorShape> in = new ArrayList<>(node.inputs().size());
      for (int i : node.inputs()) {
        in.add(i == Graph.INPUT ? input : shapes.get(i));
      }
      List<TensorShape> inputs = Collections.unmodifiableList(in);
      shapes.add(node.op().output(inputs));
      for (Parameter parameter : node.op().parameters(inputs)) {
        parameters.add(parameter.in(node.name()));
        trainable += parameter.trainable() ? parameter.size() : 0;
      }
      long nodeMacs = node.op().macs(inputs);
      macs = macs < 0 || nodeMacs < 0 ? -1 : macs + nodeMacs;
    }
    return new ShapedGraph(graph, input, shapes, parameters, new Cost(trainable, macs));
  }

  /** The shape of node {@code index}'s value, or of the input for {@link Graph#INPUT}. */
  public TensorShape shape(int index) {
    return index == Graph.INPUT ? input : shapes.get(index);
  }

  public TensorShape output() {
    return shape(graph.output());
  }
}
