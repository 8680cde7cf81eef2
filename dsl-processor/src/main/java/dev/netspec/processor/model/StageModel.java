package dev.netspec.processor.model;

import dev.netspec.processor.ir.Cost;
import dev.netspec.processor.ir.Linear;
import dev.netspec.processor.ir.ShapedGraph;
import dev.netspec.processor.ir.TensorShape;

/**
 * A stage placed in its network: its input and its expansion walked from it, which gives its
 * output shape, variables and cost.
 */
public record StageModel(String name, Stage stage, TensorShape input, ShapedGraph graph) {

  public TensorShape output() {
    return graph.output();
  }

  public Cost cost() {
    return graph.cost();
  }

  /**
   * Whether the stage holds a fully connected layer: a classifier, a dense layer, a block that
   * ends in one. From the last such stage on is the network's head.
   */
  public boolean linear() {
    return graph.graph().nodes().stream().anyMatch(node -> node.op() instanceof Linear);
  }

  /**
   * The factor by which this stage downsamples its input, from the stage's own shape arithmetic:
   * its output's stride over its input's. 1 where it keeps the size; 0 where its output is flat.
   */
  public int stride() {
    return output().flat() ? 0 : output().stride() / input.stride();
  }
}
