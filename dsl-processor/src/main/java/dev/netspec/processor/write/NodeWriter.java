package dev.netspec.processor.write;

import static dev.netspec.processor.write.RuntimeTypes.FLOAT_OPERAND;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.Primitive;
import dev.netspec.processor.ir.Slice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import javax.lang.model.SourceVersion;

/**
 * Writes a unit's nodes as statements, one runtime call per node into a local named after the
 * node ({@code 0.se.fc1} in block {@code 0} is {@code seFc1}). Slices that split one value into
 * consecutive parts covering all its channels are written as one split, as the runtime executes a
 * channel split in one op.
 */
final class NodeWriter {
  private final Graph graph;
  private final Map<Integer, CodeBlock> values;
  private final Set<String> taken;
  private final IntUnaryOperator channels;
  private final DenseLayer dense;

  /**
   * @param values expressions of the values the nodes may read (node index, or {@link
   *     Graph#INPUT}); the written nodes' locals are added
   * @param taken the names the method already uses
   * @param channels the channels of a value, the same for every block the method is called for;
   *     -1 where they differ
   * @param dense where the unit is a dense layer, its units to run on the dense block's kernel;
   *     else null
   */
  NodeWriter(Graph graph, Map<Integer, CodeBlock> values, Set<String> taken,
      IntUnaryOperator channels, DenseLayer dense) {
    this.graph = graph;
    this.values = values;
    this.taken = taken;
    this.channels = channels;
    this.dense = dense;
  }

  /** Writes {@code nodes} of {@code unit}, in scope {@code scope}. */
  void write(CodeBlock.Builder code, Unit unit, List<Integer> nodes, CodeBlock scope) {
    Map<Integer, List<Integer>> splits = splits(nodes);
    Set<Integer> written = new HashSet<>();
    for (int i : nodes) {
      if (written.contains(i)) {
        continue;
      }
      Graph.Node node = graph.nodes().get(i);
      if (splits.containsKey(i)) {
        writeSplit(code, unit, splits.get(i), scope);
        written.addAll(splits.get(i));
      } else if (dense != null && dense.unitAt(i) != null) {
        DenseLayer.PreActivationUnit kernelUnit = dense.unitAt(i);
        writeKernelUnit(code, unit, kernelUnit, scope);
        written.addAll(kernelUnit.nodes());
      } else {
        String relative = unit.relative(node.name());
        CodeBlock call = PrimitiveCall.of(node.op(),
            scopeOf(scope, relative, PrimitiveCall.ownScope(node.op())), inputs(node));
        declare(code, i, local(relative, node.op()), call);
      }
    }
  }

  private List<CodeBlock> inputs(Graph.Node node) {
    List<CodeBlock> inputs = new ArrayList<>();
    for (int input : node.inputs()) {
      CodeBlock value = values.get(input);
      if (value == null) {
        throw new Unavailable(input);
      }
      inputs.add(value);
    }
    return inputs;
  }

  private void declare(CodeBlock.Builder code, int node, String local, CodeBlock call) {
    code.addStatement("$T $N = $L", FLOAT_OPERAND, local, call);
    values.put(node, CodeBlock.of("$N", local));
  }

  /** {@code features.unit(…)}: the first unit of a dense layer, or a later one on its input. */
  private void writeKernelUnit(CodeBlock.Builder code, Unit unit,
      DenseLayer.PreActivationUnit kernelUnit, CodeBlock scope) {
    Graph.Node norm = graph.nodes().get(kernelUnit.norm());
    Graph.Node conv = graph.nodes().get(kernelUnit.conv());
    CodeBlock act = kernelUnit.act() < 0 ? scope
        : scopeOf(scope, unit.relative(graph.nodes().get(kernelUnit.act()).name()), true);
    CodeBlock scopes = CodeBlock.of("$L, $L, $L",
        scopeOf(scope, unit.relative(norm.name()), true), act,
        scopeOf(scope, unit.relative(conv.name()), true));
    Conv op = (Conv) conv.op();
    CodeBlock call = kernelUnit.onFeatures()
        ? CodeBlock.of("$L.unit($L, $L, $L)", dense.features(), scopes, op.channels(), op.kernel())
        : CodeBlock.of("$L.unit($L, $L, $L, $L)", dense.features(), inputs(norm).get(0), scopes,
            op.channels(), op.kernel());
    declare(code, kernelUnit.conv(), local(unit.relative(conv.name()), op), call);
  }

  private void writeSplit(CodeBlock.Builder code, Unit unit, List<Integer> slices,
      CodeBlock scope) {
    Graph.Node first = graph.nodes().get(slices.get(0));
    String parts = unique("split");
    CodeBlock.Builder sizes = CodeBlock.builder();
    for (int i = 0; i < slices.size(); i++) {
      sizes.add(i == 0 ? "$L" : ", $L", ((Slice) graph.nodes().get(slices.get(i)).op()).count());
    }
    code.addStatement("$T $N = $L.split($L, $L)",
        ParameterizedTypeName.get(ClassName.get(List.class), FLOAT_OPERAND),
        parts, scopeOf(scope, parent(unit.relative(first.name())), true),
        inputs(first).get(0), sizes.build());
    for (int i = 0; i < slices.size(); i++) {
      Graph.Node slice = graph.nodes().get(slices.get(i));
      declare(code, slices.get(i), local(unit.relative(slice.name()), slice.op()),
          CodeBlock.of("$N.get($L)", parts, i));
    }
  }

  /**
   * The slices among {@code nodes} that split one value into consecutive parts covering all its
   * channels, by the first of them in graph order; each group in channel order.
   */
  private Map<Integer, List<Integer>> splits(List<Integer> nodes) {
    Map<Integer, List<Integer>> byInput = new LinkedHashMap<>();
    for (int i : nodes) {
      Graph.Node node = graph.nodes().get(i);
      if (node.op() instanceof Slice) {
        byInput.computeIfAbsent(node.inputs().get(0), k -> new ArrayList<>()).add(i);
      }
    }
    Map<Integer, List<Integer>> splits = new LinkedHashMap<>();
    byInput.forEach((input, slices) -> {
      List<Integer> ordered = new ArrayList<>(slices);
      ordered.sort(Comparator.comparingInt(i -> ((Slice) graph.nodes().get(i).op()).from()));
      int next = 0;
      for (int i : ordered) {
        Slice slice = (Slice) graph.nodes().get(i).op();
        next = slice.from() == next ? next + slice.count() : -1;
      }
      if (ordered.size() > 1 && next == channels.applyAsInt(input)) {
        splits.put(slices.get(0), ordered);
      }
    });
    return splits;
  }

  /** {@code scope.in("se").in("fc1")} for "se.fc1"; the scope itself for "". */
  static CodeBlock scopeOf(CodeBlock scope, String relative, boolean own) {
    String path = own ? relative : parent(relative);
    CodeBlock.Builder code = CodeBlock.builder().add("$L", scope);
    if (!path.isEmpty()) {
      for (String part : path.split("\\.")) {
        code.add(".in($S)", part);
      }
    }
    return code.build();
  }

  private static String parent(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(0, dot);
  }

  /** "seFc1" for "se.fc1", "c1x1WS1" for "c1x1_w_s1"; the primitive's kind for "". */
  private String local(String relative, Primitive op) {
    String source = relative.isEmpty() ? op.getClass().getSimpleName() : relative;
    StringBuilder name = new StringBuilder();
    for (String part : source.split("[._]")) {
      if (!part.isEmpty()) {
        name.append(name.length() == 0 ? part.substring(0, 1).toLowerCase(Locale.ROOT)
            : part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
      }
    }
    String local = name.length() == 0 || !Character.isJavaIdentifierStart(name.charAt(0))
        ? "v" + name : name.toString();
    return unique(SourceVersion.isKeyword(local) ? local + "Value" : local);
  }

  private String unique(String name) {
    String candidate = name;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = name + n;
    }
    return candidate;
  }

  /** A node reads a value no longer held where it is written. */
  static final class Unavailable extends RuntimeException {
    Unavailable(int value) {
      super("value " + value + " is not held here", null, false, false);
    }
  }
}
