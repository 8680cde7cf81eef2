package dev.netspec.examples.cli;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.NetworkDescription;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.StageInfo;
import dev.netspec.runtime.VariableStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
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
 * stage's residual part (added) and dense part (concatenated). A kind this class does not know
 * still gets a box.
 */
final class NetworkDiagram {
  private static final Pattern UNIT = Pattern.compile("\\d+|[a-z_]*layer\\d+");
  private static final Map<String, String> COLORS = Map.ofEntries(
      Map.entry("Conv", "#8dd3c7"), Map.entry("BatchNorm", "#bebada"),
      Map.entry("Activation", "#ffffb3"), Map.entry("Pool", "#80b1d3"),
      Map.entry("GlobalPool", "#80b1d3"), Map.entry("Dropout", "#fdb462"),
      Map.entry("Flatten", "#fdb462"), Map.entry("Dense", "#fb8072"),
      Map.entry("Classifier", "#fb8072"), Map.entry("Residual", "#b3de69"),
      Map.entry("DenseBlock", "#fccde5"), Map.entry("Transition", "#d9d9d9"),
      Map.entry("DualPath", "#bc80bd"), Map.entry("Use", "#ccebc5"));

  private final NetworkDescription network;
  private final Map<String, Integer> units;
  private final StringBuilder dot = new StringBuilder();

  private NetworkDiagram(NetworkDescription network, Map<String, Integer> units) {
    this.network = network;
    this.units = units;
  }

  /** The DOT source for {@code network}, with block counts read from its built graph. */
  static String dot(NetworkDescription network) {
    return new NetworkDiagram(network, units(network)).render();
  }

  /** The DOT source, with {@code units} blocks per stage (stages not listed show no count). */
  static String dot(NetworkDescription network, Map<String, Integer> units) {
    return new NetworkDiagram(network, units).render();
  }

  private String render() {
    dot.append("digraph ").append(id(network.name())).append(" {\n")
        .append("  label=").append(quote(network.name() + " · " + String.format("%,d",
            network.parameters()) + " parameters")).append("; labelloc=t; fontname=Helvetica;\n")
        .append("  rankdir=TB; nodesep=0.35; ranksep=0.35;\n")
        .append("  node [shape=box, style=\"rounded,filled\", fontname=Helvetica, fontsize=11];\n")
        .append("  edge [fontname=Helvetica, fontsize=9, color=\"#555555\"];\n");
    node("input", "input\n" + pretty(network.inputShape()), "oval", "#eeeeee");
    String previous = "input";
    String previousShape = pretty(network.inputShape());
    int previousChannels = network.inputChannels();
    int previousStride = 1;
    for (StageInfo stage : network.stages()) {
      String shape = pretty(stage.shape());
      String out;
      switch (stage.kind()) {
        case "Residual" -> out = residual(stage, previous, previousShape,
            previousChannels != stage.channels() || previousStride != stage.stride());
        case "DenseBlock" -> out = denseBlock(stage, previous, previousShape, previousChannels);
        case "DualPath" -> out = dualPath(stage, previous, previousShape);
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

  private static String color(StageInfo stage) {
    return COLORS.getOrDefault(stage.kind(), "#e0e0e0");
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
  static Map<String, Integer> units(NetworkDescription network) {
    Map<String, Set<String>> found = new HashMap<>();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Operand<TFloat32> images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, network.inputHeight(), network.inputWidth(),
              network.inputChannels())));
      Method build = network.type().getMethod("build", Ops.class, Operand.class, Mode.class);
      NetworkGraph built = (NetworkGraph) build.invoke(null, tf, images, Mode.INFERENCE);
      VariableStore variables = built.variables();
      for (VariableStore.Entry entry : variables.entries()) {
        String[] parts = entry.name().split("\\.");
        if (parts.length > 2 && UNIT.matcher(parts[1]).matches()) {
          found.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[1]);
        }
      }
    } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException
        | RuntimeException e) {
      return Map.of(); // a diagram without counts is still a diagram
    }
    Map<String, Integer> units = new LinkedHashMap<>();
    found.forEach((stage, names) -> units.put(stage, names.size()));
    return units;
  }
}
