package dev.netspec.examples.cli;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.StageInfo;
import dev.netspec.runtime.VariableStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A network as a Graphviz diagram in the manner of MXNet's {@code plot_network}: a box per stage,
 * coloured by kind, with its output shape; edges carry the shape that flows along them. Block
 * stages open into what they compute: a residual stage's branch and shortcut meeting in an add,
 * a dense block's layers and the concatenation that appends them to its input, a dual-path
 * stage's residual part (added) and dense part (concatenated). Every other kind is one box.
 */
final class NetworkDiagram {
  private static final Pattern UNIT = Pattern.compile("\\d+|[a-z_]*layer\\d+");

  private final NetworkDescriptor<?> network;
  private final Map<String, Integer> units;
  private final StringBuilder dot = new StringBuilder();

  private NetworkDiagram(NetworkDescriptor<?> network, Map<String, Integer> units) {
    this.network = network;
    this.units = units;
  }

  /** The DOT source for {@code network}, with block counts read from its built graph. */
  static String dot(NetworkDescriptor<?> network) {
    return new NetworkDiagram(network, units(network)).render();
  }

  /** The DOT source, with {@code units} blocks per stage (stages not listed show no count). */
  static String dot(NetworkDescriptor<?> network, Map<String, Integer> units) {
    return new NetworkDiagram(network, units).render();
  }

  private String render() {
    dot.append("digraph ").append(id(network.name())).append(" {\n")
        .append("  label=").append(quote(network.name() + " · " + String.format("%,d",
            network.parameters()) + " parameters")).append("; labelloc=t; fontname=Helvetica;\n")
        .append("  rankdir=TB; nodesep=0.35; ranksep=0.35;\n")
        .append("  node [shape=box, style=\"rounded,filled\", fontname=Helvetica, fontsize=11];\n")
        .append("  edge [fontname=Helvetica, fontsize=9, color=\"#555555\"];\n");
    node("input", "input\n" + pretty(network.input().describe()), "oval", "#eeeeee");
    String previous = "input";
    String previousShape = pretty(network.input().describe());
    int previousChannels = network.input().channels();
    int previousStride = 1;
    for (StageInfo stage : network.stages()) {
      String shape = pretty(stage.shape());
      String out;
      switch (stage.kind()) {
        case RESIDUAL -> out = residual(stage, previous, previousShape,
            previousChannels != stage.channels() || previousStride != stage.stride());
        case DENSE_BLOCK -> out = denseBlock(stage, previous, previousShape, previousChannels);
        case DUAL_PATH -> out = dualPath(stage, previous, previousShape);
        default -> {
          out = stage.name();
          node(out, stage.name() + "\n" + stage.description() + "\n" + shape, "box",
              color(stage));
          edge(previous, out, previousShape);
        }
      }
      previous = out;
      previousShape = shape;
      previousChannels = stage.channels();
      previousStride = stage.stride();
    }
    node("output", "output\n" + previousShape, "oval", "#eeeeee");
    edge(previous, "output", previousShape);
    dot.append("}\n");
    return dot.toString();
  }

  /** A residual stage: its blocks' branch and the shortcut, meeting in an add. */
  private String residual(StageInfo stage, String in, String inShape, boolean projects) {
    String name = stage.name();
    cluster(stage);
    String branch = name + "/branch";
    String add = name + "/add";
    node(branch, count(name, "block", "blocks") + "residual branch", "box", color(stage));
    junction(add);
    dot.append("  }\n");
    edge(in, branch, inShape);
    edge(branch, add, "");
    edgeStyled(in, add, projects ? "projection (1×1 conv)" : "identity", "dashed");
    return add;
  }

  /** A dense block: its layers, and the concatenation of their features with the input. */
  private String denseBlock(StageInfo stage, String in, String inShape, int inChannels) {
    String name = stage.name();
    cluster(stage);
    String layers = name + "/layers";
    String concat = name + "/concat";
    node(layers, count(name, "dense layer", "dense layers")
        + "BN-ReLU-conv, each adds its features", "box", color(stage));
    node(concat, "concat\n" + inChannels + " + " + (stage.channels() - inChannels) + " = "
        + stage.channels() + " channels\n" + pretty(stage.shape()), "box", "#ffffff");
    dot.append("  }\n");
    edge(in, layers, inShape);
    edge(layers, concat, "+" + (stage.channels() - inChannels) + " channels");
    edgeStyled(in, concat, "input, " + inChannels + " channels", "dashed");
    return concat;
  }

  /**
   * A dual-path stage: the blocks' output splits into a residual part, added to the shortcut's,
   * and a dense part, concatenated to it; the two parts together are the stage's output.
   */
  private String dualPath(StageInfo stage, String in, String inShape) {
    String name = stage.name();
    cluster(stage);
    String blocks = name + "/blocks";
    String add = name + "/add";
    String concat = name + "/concat";
    String out = name + "/out";
    node(blocks, count(name, "dual-path block", "dual-path blocks")
        + "1×1 → grouped 3×3 → 1×1", "box", color(stage));
    junction(add);
    node(concat, "concat\ndense path", "box", "#ffffff");
    node(out, "[residual | dense]\n" + pretty(stage.shape()), "box", "#ffffff");
    dot.append("  }\n");
    edge(in, blocks, inShape);
    edge(blocks, add, "residual part");
    edge(blocks, concat, "dense part");
    edgeStyled(in, add, "shortcut (residual)", "dashed");
    edgeStyled(in, concat, "shortcut (dense)", "dashed");
    edge(add, out, "");
    edge(concat, out, "");
    return out;
  }

  private void cluster(StageInfo stage) {
    dot.append("  subgraph ").append(quote("cluster_" + stage.name())).append(" {\n")
        .append("    label=").append(quote(stage.name() + " · " + stage.description() + " · "
            + String.format("%,d", stage.parameters()) + " parameters"))
        .append("; style=\"rounded,dashed\"; color=\"#888888\"; fontsize=10;\n");
  }

  private String count(String stage, String one, String many) {
    Integer n = units.get(stage);
    if (n == null || n == 0) {
      return "";
    }
    return n + " " + (n == 1 ? one : many) + "\n";
  }

  private void node(String id, String label, String shape, String fill) {
    dot.append("  ").append(quote(id)).append(" [label=").append(quote(label))
        .append(", shape=").append(shape).append(", fillcolor=").append(quote(fill))
        .append("];\n");
  }

  /** A small "+" where a residual branch and its shortcut add; the next edge shows the shape. */
  private void junction(String id) {
    dot.append("  ").append(quote(id))
        .append(" [label=\"+\", shape=circle, fixedsize=true, width=0.35, fillcolor=\"#ffffff\"];\n");
  }

  private void edge(String from, String to, String label) {
    dot.append("  ").append(quote(from)).append(" -> ").append(quote(to));
    if (!label.isEmpty()) {
      dot.append(" [label=").append(quote(label)).append("]");
    }
    dot.append(";\n");
  }

  private void edgeStyled(String from, String to, String label, String style) {
    dot.append("  ").append(quote(from)).append(" -> ").append(quote(to)).append(" [label=")
        .append(quote(label)).append(", style=").append(style).append("];\n");
  }

  /** Every kind has its colour: a new kind does not compile until it has one. */
  private static String color(StageInfo stage) {
    return switch (stage.kind()) {
      case CONV -> "#8dd3c7";
      case BATCH_NORM -> "#bebada";
      case ACTIVATION -> "#ffffb3";
      case POOL, GLOBAL_POOL -> "#80b1d3";
      case DROPOUT, FLATTEN -> "#fdb462";
      case DENSE, CLASSIFIER -> "#fb8072";
      case RESIDUAL -> "#b3de69";
      case DENSE_BLOCK -> "#fccde5";
      case TRANSITION -> "#d9d9d9";
      case DUAL_PATH -> "#bc80bd";
      case USE -> "#ccebc5";
      case NORMALIZE -> "#e0e0e0";
      case STACK -> "#ffed6f";
      case LAYER_NORM -> "#c7b9e2";
      case LAYER_SCALE, STOCHASTIC_DEPTH -> "#f2f2f2";
      case SQUEEZE_EXCITE -> "#a6d8e8";
    };
  }

  /** "56x56x256" as "56×56×256". */
  private static String pretty(String shape) {
    return shape.replace('x', '×');
  }

  private static String id(String name) {
    return name.replaceAll("[^A-Za-z0-9_]", "_");
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }

  /**
   * How many units (blocks, dense layers) each stage has, from the variable names of the network
   * built into a graph (no session, no weights): {@code layer1.2.conv1.weight} is unit 2 of
   * {@code layer1}.
   */
  static Map<String, Integer> units(NetworkDescriptor<?> network) {
    Map<String, Set<String>> found = new HashMap<>();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, network.input().height(), network.input().width(),
              network.input().channels())));
      VariableStore variables = network.build(tf, images, Mode.INFERENCE).variables();
      for (VariableStore.Entry entry : variables.entries()) {
        String[] parts = entry.name().split("\\.");
        if (parts.length > 2 && UNIT.matcher(parts[1]).matches()) {
          found.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[1]);
        }
      }
    } catch (RuntimeException e) {
      return Map.of(); // a diagram without counts is still a diagram
    }
    Map<String, Integer> units = new LinkedHashMap<>();
    found.forEach((stage, names) -> units.put(stage, names.size()));
    return units;
  }
}
