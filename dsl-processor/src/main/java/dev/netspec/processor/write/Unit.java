package dev.netspec.processor.write;

import dev.netspec.processor.ir.Graph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A run of a stage's nodes that the generated code writes together: a block (consecutive nodes
 * named under one first name part, {@code 0.conv1}, {@code 0.bn1}, …), or one node of the stage's
 * own ({@code pool}).
 *
 * @param block the block's name ({@code 0}); null for a node of the stage's own
 * @param nodes the nodes' indices, in graph order
 * @param externals the values from outside the unit that its nodes read, in order of first use:
 *     node indices, or {@link Graph#INPUT}
 * @param outputs the unit's nodes that later nodes read, or that the stage yields, in order
 */
record Unit(String block, List<Integer> nodes, List<Integer> externals, List<Integer> outputs) {

  /** The graph's nodes as units, in order. */
  static List<Unit> of(Graph graph) {
    List<List<Integer>> runs = new ArrayList<>();
    List<String> blocks = new ArrayList<>();
    for (int i = 0; i < graph.nodes().size(); i++) {
      String block = blockOf(graph.nodes().get(i).name());
      int last = runs.size() - 1;
      if (block != null && last >= 0 && block.equals(blocks.get(last))) {
        runs.get(last).add(i);
      } else {
        runs.add(new ArrayList<>(List.of(i)));
        blocks.add(block);
      }
    }
    List<Unit> units = new ArrayList<>();
    for (int r = 0; r < runs.size(); r++) {
      units.add(of(graph, blocks.get(r), runs.get(r)));
    }
    return units;
  }

  private static Unit of(Graph graph, String block, List<Integer> nodes) {
    Set<Integer> inside = Set.copyOf(nodes);
    Set<Integer> externals = new LinkedHashSet<>();
    for (int i : nodes) {
      for (int input : graph.nodes().get(i).inputs()) {
        if (!inside.contains(input)) {
          externals.add(input);
        }
      }
    }
    List<Integer> outputs = new ArrayList<>();
    for (int i : nodes) {
      boolean readLater = graph.output() == i;
      for (int later = nodes.get(nodes.size() - 1) + 1; later < graph.nodes().size(); later++) {
        readLater |= graph.nodes().get(later).inputs().contains(i);
      }
      if (readLater) {
        outputs.add(i);
      }
    }
    return new Unit(block, List.copyOf(nodes), List.copyOf(externals), List.copyOf(outputs));
  }

  /** "0" of "0.conv1"; null for a name without a block. */
  private static String blockOf(String name) {
    int dot = name.indexOf('.');
    return dot < 0 ? null : name.substring(0, dot);
  }

  boolean isBlock() {
    return block != null;
  }

  /** A node's name inside this unit: "conv1" of "0.conv1"; the name itself outside a block. */
  String relative(String name) {
    return block == null ? name : name.substring(block.length() + 1);
  }

  /**
   * What makes two blocks interchangeable: every node's name inside the block, primitive and
   * inputs (a node of the block by position, or an external by position). Blocks with the same
   * key are written as one method.
   */
  String key(Graph graph) {
    StringBuilder key = new StringBuilder();
    for (int i : nodes) {
      Graph.Node node = graph.nodes().get(i);
      key.append(relative(node.name())).append(' ').append(node.op()).append(" <-");
      for (int input : node.inputs()) {
        int internal = nodes.indexOf(input);
        key.append(internal >= 0 ? " n" + internal : " e" + externals.indexOf(input));
      }
      key.append('\n');
    }
    return key.toString();
  }
}
