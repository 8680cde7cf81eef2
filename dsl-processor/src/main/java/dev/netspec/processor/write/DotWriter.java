package dev.netspec.processor.write;

import dev.netspec.processor.model.DenseBlockStage;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.ResidualStage;
import dev.netspec.processor.model.StageModel;
import dev.netspec.processor.model.TensorShape;
import dev.netspec.processor.model.TransitionStage;
import java.util.Locale;

/**
 * The network as a Graphviz diagram, written next to the generated class ({@code
 * <Class>.dot}), so drawing it needs nothing at run time: one box per stage with its output
 * shape, residual blocks with their shortcuts into an addition, dense layers with their
 * concatenations.
 */
public final class DotWriter {
  private final StringBuilder out = new StringBuilder();
  /** Edges of a cluster, written after it: an edge inside would pull outer nodes into it. */
  private final StringBuilder edges = new StringBuilder();
  private int ids;

  private DotWriter() {}

  public static String render(NetworkModel model) {
    return new DotWriter().network(model);
  }

  private String network(NetworkModel model) {
    line("digraph \"" + model.className() + "\" {");
    line("  rankdir=TB;");
    line("  graph [fontname=\"Helvetica\", fontsize=11];");
    line("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\", fontsize=10];");
    line("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#556677\"];");
    String previous = node("input", "input\\n" + model.input().describe(), "#dddddd");
    for (StageModel stage : model.stages()) {
      previous = stage(stage, previous);
    }
    line("}");
    return out.toString();
  }

  private String stage(StageModel stage, String from) {
    if (stage.stage() instanceof DenseBlockStage dense) {
      return denseBlock(stage, dense, from);
    }
    if (stage.stage() instanceof ResidualStage residual) {
      return residual(stage, residual, from);
    }
    String label = stage.name() + "\\n" + describe(stage) + "\\n" + stage.output().describe();
    String node = node(stage.name(), label, colour(stage));
    edge(from, node, "");
    flushEdges();
    return node;
  }

  /** Each dense layer's new channels concatenated to everything before it. */
  private String denseBlock(StageModel stage, DenseBlockStage dense, String from) {
    line("  subgraph cluster_" + stage.name() + " {");
    line("    label=\"" + stage.name() + ": DenseBlock, growth " + dense.growth()
        + dense.squeezeExcite().map(se -> " + SE 1/" + se.reduction()).orElse("")
        + "\"; style=dashed;");
    String features = from;
    int channels = stage.input().channels();
    for (int i = 1; i <= dense.layers(); i++) {
      String layer = node(stage.name() + "_layer" + i, "denselayer" + i + "\\n+" + dense.growth(), "#fff4e0");
      edge(features, layer, "");
      channels += dense.growth();
      String concat = node(stage.name() + "_concat" + i, "concat\\n" + channels, "#ffe0b0");
      edge(features, concat, "");
      edge(layer, concat, "");
      features = concat;
    }
    endCluster();
    return features;
  }

  /** Each block's residual branch and shortcut meet in an addition. */
  private String residual(StageModel stage, ResidualStage residual, String from) {
    line("  subgraph cluster_" + stage.name() + " {");
    line("    label=\"" + stage.name() + ": " + describe(stage) + "\"; style=dashed;");
    String x = from;
    TensorShape shape = stage.input();
    for (int i = 0; i < residual.blocks(); i++) {
      int stride = i == 0 ? residual.stride() : 1;
      boolean project = stride != 1 || shape.channels() != stage.output().channels();
      String block = node(stage.name() + "_" + i, stage.name() + "." + i + "\\n"
          + residual.block().name().toLowerCase(Locale.ROOT)
          + (stride != 1 ? " /" + stride : ""), "#e4f2e4");
      edge(x, block, "");
      String add = node(stage.name() + "_add" + i, "+\\n" + stage.output().channels(), "#c8e6c8");
      edge(block, add, "");
      edge(x, add, project ? "1x1 conv" : "shortcut");
      x = add;
      shape = stage.output();
    }
    endCluster();
    return x;
  }

  private static String describe(StageModel stage) {
    if (stage.stage() instanceof ResidualStage r) {
      return "Residual x" + r.blocks() + " " + r.block().name().toLowerCase(Locale.ROOT)
          + (r.groups() > 1 ? " " + r.groups() + "x" + r.baseWidth() + "d" : "") + r.modifiers();
    }
    if (stage.stage() instanceof TransitionStage) {
      return "Transition (1x1 conv, 2x2 pool)";
    }
    return stage.stage().description();
  }

  private static String colour(StageModel stage) {
    return stage.output().flat() ? "#f3e5f5" : "#eef3fb";
  }

  private String node(String name, String label, String fill) {
    String id = "n" + ids++;
    line("    " + id + " [label=\"" + label + "\", fillcolor=\"" + fill + "\"]; // " + name);
    return id;
  }

  private void edge(String from, String to, String label) {
    edges.append("  ").append(from).append(" -> ").append(to)
        .append(label.isEmpty() ? "" : " [label=\"" + label + "\"]").append(";\n");
  }

  /** Closes a cluster, then writes the edges held back. */
  private void endCluster() {
    line("  }");
    flushEdges();
  }

  private void flushEdges() {
    out.append(edges);
    edges.setLength(0);
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
