package dev.netspec.processor.write;

import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Parameter;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.StageModel;

/**
 * Every variable the network creates, written next to the generated class ({@code
 * <Class>.parameters.tsv}): one line per variable with its full PyTorch-style name, its shape in
 * PyTorch's layout and whether it trains ({@code true}) or is a running statistic ({@code false}),
 * separated by tabs: {@code layer1.0.conv1.weight	[64, 64, 1, 1]	true}.
 */
public final class ParameterManifest {
  private ParameterManifest() {}

  public static String render(NetworkModel model) {
    StringBuilder out = new StringBuilder();
    for (StageModel stage : model.stages()) {
      for (Parameter parameter : stage.graph().parameters()) {
        out.append(Graph.join(stage.name(), parameter.name())).append('\t')
            .append(parameter.describeShape()).append('\t')
            .append(parameter.trainable()).append('\n');
      }
    }
    return out.toString();
  }
}
