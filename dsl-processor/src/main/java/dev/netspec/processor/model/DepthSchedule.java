package dev.netspec.processor.model;

import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.ShapedGraph;
import dev.netspec.processor.ir.StochasticDepth;
import java.util.ArrayList;
import java.util.List;

/**
 * Stochastic depth's linear schedule over a whole network, as torchvision's ConvNeXt computes it:
 * the network's stochastic-depth ops, numbered {@code i = 0 … n - 1} in order, drop with {@code
 * rate · i / (n - 1)}, where {@code rate} is what each op's stage declares (0 for the only one).
 */
public final class DepthSchedule {
  private DepthSchedule() {}

  /** The stages with every stochastic-depth op at its scheduled rate. */
  public static List<StageModel> apply(List<StageModel> stages) {
    long n = stages.stream().flatMap(s -> s.graph().graph().nodes().stream())
        .filter(node -> node.op() instanceof StochasticDepth).count();
    if (n == 0) {
      return stages;
    }
    List<StageModel> scheduled = new ArrayList<>(stages.size());
    int i = 0;
    for (StageModel stage : stages) {
      List<Graph.Node> nodes = new ArrayList<>();
      for (Graph.Node node : stage.graph().graph().nodes()) {
        if (node.op() instanceof StochasticDepth depth) {
          double rate = n == 1 ? 0 : depth.rate() * i / (n - 1);
          nodes.add(new Graph.Node(node.name(), new StochasticDepth(rate), node.inputs()));
          i++;
        } else {
          nodes.add(node);
        }
      }
      ShapedGraph graph = stage.graph();
      scheduled.add(new StageModel(stage.name(), stage.stage(), stage.input(),
          new ShapedGraph(new Graph(nodes, graph.graph().output()), graph.input(), graph.shapes(),
              graph.parameters(), graph.cost())));
    }
    return List.copyOf(scheduled);
  }
}
