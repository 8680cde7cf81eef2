package dev.netspec.processor.write;

import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.Concat;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.ShapedGraph;
import dev.netspec.processor.ir.Slice;
import dev.netspec.processor.ir.WeightedSum;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.StageModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The network as a Graphviz diagram, written next to the generated class ({@code <Class>.dot}),
 * so drawing it needs nothing at run time. Each stage is drawn from its graph of primitives: a
 * chain of primitives that nothing else reads is one box listing them; a stage that is one chain
 * is one box, any other a cluster of its chains with the edges between them (a residual block's
 * branch, shortcut and addition; a dense layer and its concatenation; a dual-path block's split
 * into residual and dense parts).
 *
 * <p>The overview ({@code <Class>.stages.dot}) draws the same, but of a stage that repeats a
 * block (nodes named {@code 0.…}, {@code 1.…} or {@code denselayer1.…}, …) only the first block
 * in full: the others are one box saying how many follow it.
 */
public final class DotWriter {
  private static final String FILL = "#eef3fb";
  private static final String FLAT_FILL = "#f3e5f5";
  private static final String MERGE_FILL = "#ffe0b0";

  /** The first segment of a node name that numbers a stage's repeated blocks: "2", "denselayer3". */
  private static final Pattern UNIT = Pattern.compile("\\d+|[a-z_]*layer\\d+");

  private final boolean overview;
  private final StringBuilder out = new StringBuilder();
  /** Edges of a cluster, written after it: an edge inside would pull outer nodes into it. */
  private final StringBuilder edges = new StringBuilder();
  private int ids;

  private DotWriter(boolean overview) {
    this.overview = overview;
  }

  /** Every block of every stage. */
  public static String render(NetworkModel model) {
    return new DotWriter(false).network(model);
  }

  /** Every stage, with the first of its repeated blocks in full and the rest as one box. */
  public static String overview(NetworkModel model) {
    return new DotWriter(true).network(model);
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

  /** Draws a stage after node {@code from}; returns the node that holds its output. */
  private String stage(StageModel stage, String from) {
    ShapedGraph graph = stage.graph();
    List<List<Integer>> chains = chains(graph.graph());
    if (chains.size() <= 1) {
      List<Integer> chain = chains.isEmpty() ? List.of() : chains.get(0);
      String ops = chain.size() > 1 ? operations(graph, chain, ", ") + "\\n" : "";
      String node = node(stage.name(), stage.name() + "\\n" + stage.stage().description() + "\\n"
          + ops + stage.output().describe(), stage.output().flat() ? FLAT_FILL : FILL);
      edge(from, node);
      flushEdges();
      return node;
    }
    line("  subgraph cluster_" + stage.name() + " {");
    line("    label=\"" + stage.name() + ": " + stage.stage().description() + "\"; style=dashed;");
    Map<Integer, String> nodeOfChain = new HashMap<>();
    NavigableSet<Integer> folded = overview ? laterBlocks(graph.graph()) : new TreeSet<>();
    String rest = null;
    for (List<Integer> chain : chains) {
      if (folded.contains(chain.get(0))) {
        rest = rest != null ? rest : rest(stage, graph, folded);
        for (int input : graph.graph().nodes().get(chain.get(0)).inputs()) {
          if (input == Graph.INPUT || !folded.contains(input)) {
            edge(input == Graph.INPUT ? from : nodeOfChain.get(input), rest);
          }
        }
        for (int i : chain) {
          nodeOfChain.put(i, rest);
        }
        continue;
      }
      String label = scope(graph.graph(), chain) + operations(graph, chain, "\\n") + "\\n"
          + graph.shape(chain.get(chain.size() - 1)).describe();
      String node = node(stage.name() + "." + graph.graph().nodes().get(chain.get(0)).name(),
          label, fill(graph, chain));
      for (int input : graph.graph().nodes().get(chain.get(0)).inputs()) {
        edge(input == Graph.INPUT ? from : nodeOfChain.get(input), node);
      }
      chain.forEach(i -> nodeOfChain.put(i, node));
    }
    line("  }");
    flushEdges();
    return graph.graph().output() == Graph.INPUT ? from : nodeOfChain.get(graph.graph().output());
  }

  /** The nodes of every repeated block after the first; empty where the stage repeats none. */
  private static NavigableSet<Integer> laterBlocks(Graph graph) {
    NavigableSet<Integer> later = new TreeSet<>();
    String first = null;
    for (int i = 0; i < graph.nodes().size(); i++) {
      String unit = unit(graph.nodes().get(i).name());
      if (unit == null) {
        continue;
      }
      if (first == null) {
        first = unit;
      } else if (!unit.equals(first)) {
        later.add(i);
      }
    }
    return later;
  }

  /** The block a node belongs to, "0" of "0.conv1"; null for a node outside any. */
  private static String unit(String name) {
    int dot = name.indexOf('.');
    String head = dot < 0 ? null : name.substring(0, dot);
    return head != null && UNIT.matcher(head).matches() ? head : null;
  }

  /** One box for the folded blocks: which they are, and the shape the last of them yields. */
  private String rest(StageModel stage, ShapedGraph graph, NavigableSet<Integer> folded) {
    List<String> units = new ArrayList<>();
    for (int i : folded) {
      String unit = unit(graph.graph().nodes().get(i).name());
      if (!units.contains(unit)) {
        units.add(unit);
      }
    }
    int last = folded.last();
    String which = units.size() == 1 ? units.get(0)
        : units.get(0) + " … " + units.get(units.size() - 1);
    return node(stage.name() + "." + units.get(0), which + "\\n" + units.size()
        + (units.size() == 1 ? " more block" : " more blocks") + " like the one above\\n"
        + graph.shape(last).describe(), FILL);
  }

  /**
   * The nodes in chains, in order: a node joins the chain of its only input when that input ends
   * the chain, has no other reader and belongs to the same block (the first part of the names).
   */
  private static List<List<Integer>> chains(Graph graph) {
    List<Graph.Node> nodes = graph.nodes();
    int[] readers = new int[nodes.size()];
    for (Graph.Node node : nodes) {
      node.inputs().stream().filter(i -> i != Graph.INPUT).forEach(i -> readers[i]++);
    }
    List<List<Integer>> chains = new ArrayList<>();
    Map<Integer, List<Integer>> chainEndingAt = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      List<Integer> inputs = nodes.get(i).inputs();
      List<Integer> chain = inputs.size() == 1 && inputs.get(0) != Graph.INPUT
          && readers[inputs.get(0)] == 1
          && sameBlock(nodes.get(inputs.get(0)).name(), nodes.get(i).name())
          ? chainEndingAt.remove(inputs.get(0)) : null;
      if (chain == null) {
        chain = new ArrayList<>();
        chains.add(chain);
      }
      chain.add(i);
      chainEndingAt.put(i, chain);
    }
    return chains;
  }

  /** Whether two nodes are in one block: "0.bn3" and "0.act3", or the stage's "conv" and "bn". */
  private static boolean sameBlock(String a, String b) {
    int dotA = a.indexOf('.');
    int dotB = b.indexOf('.');
    return dotA < 0 && dotB < 0
        || dotA > 0 && dotA == dotB && a.regionMatches(0, b, 0, dotA);
  }

  /** The scope the chain's nodes share, as its first line: "0\n" for 0.conv1 … 0.bn3. */
  private static String scope(Graph graph, List<Integer> chain) {
    String[] common = graph.nodes().get(chain.get(0)).name().split("\\.");
    int length = common.length;
    for (int i : chain) {
      String[] parts = graph.nodes().get(i).name().split("\\.");
      int same = 0;
      while (same < Math.min(length, parts.length) && parts[same].equals(common[same])) {
        same++;
      }
      length = same;
    }
    String shared = String.join(".", List.of(common).subList(0, length));
    return shared.isEmpty() ? "" : shared + "\\n";
  }

  private static String operations(ShapedGraph graph, List<Integer> chain, String separator) {
    List<String> labels = new ArrayList<>();
    for (int i : chain) {
      labels.add(graph.graph().nodes().get(i).op().describe());
    }
    return String.join(separator, labels);
  }

  private static String fill(ShapedGraph graph, List<Integer> chain) {
    var first = graph.graph().nodes().get(chain.get(0)).op();
    if (first instanceof Add || first instanceof Concat || first instanceof Slice
        || first instanceof WeightedSum) {
      return MERGE_FILL;
    }
    return graph.shape(chain.get(chain.size() - 1)).flat() ? FLAT_FILL : FILL;
  }

  private String node(String name, String label, String fill) {
    String id = "n" + ids++;
    line("    " + id + " [label=\"" + label + "\", fillcolor=\"" + fill + "\"]; // " + name);
    return id;
  }

  /** An edge, once: folded blocks would repeat the edges into and out of their one box. */
  private void edge(String from, String to) {
    String line = "  " + from + " -> " + to + ";\n";
    if (edges.indexOf(line) < 0) {
      edges.append(line);
    }
  }

  private void flushEdges() {
    out.append(edges);
    edges.setLength(0);
  }

  private void line(String text) {
    out.append(text).append('\n');
  }
}
