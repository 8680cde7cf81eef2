package dev.netspec.processor.write;

import static dev.netspec.processor.write.RuntimeTypes.DENSE_FEATURES;
import static dev.netspec.processor.write.RuntimeTypes.FLOAT_OPERAND;
import static dev.netspec.processor.write.RuntimeTypes.LAYERS;
import static dev.netspec.processor.write.RuntimeTypes.NONLINEARITY;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.ShapedGraph;
import dev.netspec.processor.model.StageModel;
import dev.netspec.processor.model.UseStage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Modifier;

/**
 * The code of a stage, written from its graph of primitives: a method that builds the stage in
 * its scope {@code layers.in("<stage>")}, one runtime call per node of its own, and one private
 * method per distinct block body, called once per block ({@code x = layer1Block(scope.in("1"),
 * x)}). A block whose later blocks read several of its values returns them in a record. Where a
 * value would be read after the local holding it moved on, every node is written in the stage's
 * method instead.
 */
final class StageCode {

  /** The generated members of one stage. */
  record Written(MethodSpec stage, List<MethodSpec> blocks, List<TypeSpec> records) {}

  private final StageModel stage;
  private final Graph graph;
  private final ShapedGraph shaped;

  private StageCode(StageModel stage) {
    this.stage = stage;
    this.shaped = stage.graph();
    this.graph = shaped.graph();
  }

  static Written write(StageModel stage) {
    // a used spec is built by its own class, with its own network defaults
    if (stage.stage() instanceof UseStage use) {
      return new Written(stageMethod(stage, CodeBlock.of("return $T.build(layers.in($S), x, $S)"
              + ".output();\n", ClassName.get(use.generatedPackage(), use.generatedClass()),
          stage.name(), use.lastStage())), List.of(), List.of());
    }
    StageCode code = new StageCode(stage);
    try {
      return code.withBlocks();
    } catch (NodeWriter.Unavailable e) {
      return code.inline();
    }
  }

  /** A stage's method: its input {@code x}, its output returned. */
  private static MethodSpec stageMethod(StageModel stage, CodeBlock body) {
    return MethodSpec.methodBuilder(Names.builder(stage.name()))
        .addJavadoc("$L: @$L, $L -> $L, $L parameters.\n", stage.name(), stage.stage().kind(),
            stage.input().describe(), stage.output().describe(),
            String.format(Locale.ROOT, "%,d", stage.cost().parameters()))
        .addModifiers(Modifier.PRIVATE)
        .returns(FLOAT_OPERAND)
        .addParameter(FLOAT_OPERAND, "x")
        .addCode(body)
        .build();
  }

  /** One method per distinct block body. */
  private static final class BlockMethod {
    final String name;
    final List<Unit> blocks = new ArrayList<>();
    final DenseLayer dense;
    /** The positions in a block of the values any of its blocks hands on, in order. */
    final TreeSet<Integer> outputs = new TreeSet<>();
    /** The record of the values it returns, where it hands on several. */
    ClassName values;
    /** The record it reads, where each of its blocks reads only the previous block's record. */
    ClassName reads;

    BlockMethod(String name, DenseLayer dense) {
      this.name = name;
      this.dense = dense;
    }

    Unit first() {
      return blocks.get(0);
    }
  }

  private Written withBlocks() {
    List<Unit> units = Unit.of(graph);
    Optional<Map<Unit, DenseLayer>> denseBlock = denseBlock(units);
    Map<String, BlockMethod> methods = new LinkedHashMap<>();
    Map<Unit, BlockMethod> methodOf = new HashMap<>();
    for (Unit unit : units) {
      if (unit.isBlock()) {
        DenseLayer dense = denseBlock.map(layers -> layers.get(unit)).orElse(null);
        String base = stage.name() + "Block";
        BlockMethod method = methods.computeIfAbsent(unit.key(graph),
            key -> new BlockMethod(methods.isEmpty() ? base : base + (methods.size() + 1), dense));
        method.blocks.add(unit);
        unit.outputs().forEach(output -> method.outputs.add(unit.nodes().indexOf(output)));
        methodOf.put(unit, method);
      }
    }
    List<TypeSpec> records = valueRecords(methods.values());
    findRecordReaders(units, methodOf);
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("$T scope = layers.in($S)", LAYERS, stage.name());
    if (denseBlock.isPresent()) {
      DenseLayer first = denseBlock.get().get(units.get(0));
      body.addStatement("$T features = $T.of(scope, x, $T.$L)", DENSE_FEATURES, DENSE_FEATURES,
          NONLINEARITY, first.act().name());
      for (Unit unit : units) {
        body.addStatement("features = $N($L, features)", methodOf.get(unit).name,
            NodeWriter.scopeOf(CodeBlock.of("scope"), unit.block(), true));
      }
      body.addStatement("return features.output()");
    } else {
      writeUnits(body, units, methodOf);
    }
    List<MethodSpec> blockMethods = new ArrayList<>();
    for (BlockMethod method : methods.values()) {
      blockMethods.add(blockMethod(method));
    }
    return new Written(stageMethod(stage, body.build()), blockMethods, records);
  }

  /** Every unit in the stage's method: a block as a call of its method. */
  private void writeUnits(CodeBlock.Builder body, List<Unit> units,
      Map<Unit, BlockMethod> methodOf) {
    Map<Integer, CodeBlock> values = new HashMap<>(Map.of(Graph.INPUT, CodeBlock.of("x")));
    Set<String> taken = new LinkedHashSet<>(List.of("x", "scope", "layers"));
    NodeWriter nodes = new NodeWriter(graph, values, taken, this::channels, null);
    Set<ClassName> declared = new LinkedHashSet<>();
    for (Unit unit : units) {
      if (!unit.isBlock()) {
        nodes.write(body, unit, unit.nodes(), CodeBlock.of("scope"));
        continue;
      }
      BlockMethod method = methodOf.get(unit);
      List<CodeBlock> arguments = new ArrayList<>();
      arguments.add(NodeWriter.scopeOf(CodeBlock.of("scope"), unit.block(), true));
      List<Integer> externals = method.reads == null ? unit.externals() : List.of();
      if (method.reads != null) {
        arguments.add(CodeBlock.of("$N", lowerFirst(method.reads.simpleName())));
      }
      for (int external : externals) {
        CodeBlock value = values.get(external);
        if (value == null) {
          throw new NodeWriter.Unavailable(external);
        }
        arguments.add(value);
      }
      CodeBlock call = CodeBlock.of("$N($L)", method.name, CodeBlock.join(arguments, ", "));
      if (method.values == null) {
        body.addStatement("x = $L", call);
        values.values().removeIf(value -> value.toString().equals("x"));
        values.put(unit.nodes().get(method.outputs.first()), CodeBlock.of("x"));
      } else {
        String local = lowerFirst(method.values.simpleName());
        if (declared.add(method.values)) {
          body.addStatement("$T $N = $L", method.values, local, call);
        } else {
          body.addStatement("$N = $L", local, call);
        }
        values.values().removeIf(value -> value.toString().startsWith(local + "."));
        for (int position : method.outputs) {
          int output = unit.nodes().get(position);
          values.put(output, CodeBlock.of("$N.$N()", local, field(output)));
        }
      }
    }
    CodeBlock output = values.get(graph.output());
    if (output == null) {
      throw new NodeWriter.Unavailable(graph.output());
    }
    body.addStatement("return $L", output);
  }

  private MethodSpec blockMethod(BlockMethod method) {
    Unit first = method.first();
    MethodSpec.Builder spec = MethodSpec.methodBuilder(method.name)
        .addModifiers(Modifier.PRIVATE)
        .addParameter(LAYERS, "scope");
    spec.addJavadoc("A block of {@code $L}; its shapes, input -> output, in each block it builds:\n",
        stage.name());
    for (Unit block : method.blocks) {
      spec.addJavadoc("{@code $L}: $L -> $L<br>\n", block.block(), shapes(block.externals()),
          shapes(method.outputs.stream().map(block.nodes()::get).toList()));
    }
    Map<Integer, CodeBlock> values = new HashMap<>();
    Set<String> taken = new LinkedHashSet<>(List.of("scope"));
    CodeBlock.Builder body = CodeBlock.builder();
    if (method.dense != null) {
      spec.returns(DENSE_FEATURES).addParameter(DENSE_FEATURES, "features");
      taken.add("features");
      List<Integer> nodes = new ArrayList<>(first.nodes());
      nodes.remove(Integer.valueOf(method.dense.concat()));
      new NodeWriter(graph, values, taken, blockChannels(method), method.dense)
          .write(body, first, nodes, CodeBlock.of("scope"));
      int newFeatures = graph.nodes().get(method.dense.concat()).inputs().get(1);
      body.addStatement("return features.concat($L)", values.get(newFeatures));
      return spec.addCode(body.build()).build();
    }
    if (method.reads != null) {
      spec.addParameter(method.reads, unique(taken, "previous"));
      for (int external : first.externals()) {
        values.put(external, CodeBlock.of("previous.$N()", field(external)));
      }
    } else {
      for (int external : first.externals()) {
        String name = unique(taken, first.externals().size() == 1 || external == Graph.INPUT
            ? "x" : field(external));
        spec.addParameter(FLOAT_OPERAND, name);
        values.put(external, CodeBlock.of("$N", name));
      }
    }
    new NodeWriter(graph, values, taken, blockChannels(method), null)
        .write(body, first, first.nodes(), CodeBlock.of("scope"));
    List<Integer> outputs = method.outputs.stream().map(first.nodes()::get).toList();
    if (method.values == null) {
      spec.returns(FLOAT_OPERAND);
      body.addStatement("return $L", values.get(outputs.get(0)));
    } else {
      spec.returns(method.values);
      body.addStatement("return new $T($L)", method.values,
          outputs.stream().map(values::get).collect(CodeBlock.joining(", ")));
    }
    return spec.addCode(body.build()).build();
  }

  /**
   * A record per distinct list of values that blocks hand on, for the methods of blocks with
   * several: {@code Conv3Values(add, concatDense, concat)}.
   */
  private List<TypeSpec> valueRecords(Iterable<BlockMethod> methods) {
    Map<List<String>, ClassName> byFields = new LinkedHashMap<>();
    List<TypeSpec> records = new ArrayList<>();
    for (BlockMethod method : methods) {
      Unit first = method.first();
      if (method.dense != null || method.outputs.size() < 2) {
        continue;
      }
      List<String> fields =
          method.outputs.stream().map(p -> field(first.nodes().get(p))).toList();
      method.values = byFields.computeIfAbsent(fields, key -> {
        String base = upperFirst(stage.name()) + "Values";
        ClassName name = ClassName.get("", byFields.isEmpty() ? base : base + (byFields.size() + 1));
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        fields.forEach(field -> constructor.addParameter(FLOAT_OPERAND, field));
        records.add(TypeSpec.recordBuilder(name)
            .addModifiers(Modifier.PRIVATE)
            .addJavadoc("The values of a block of $L that the next block reads.\n", stage.name())
            .recordConstructor(constructor.build())
            .build());
        return name;
      });
    }
    return records;
  }

  /**
   * Marks the methods whose every block reads only values of the block before it, which hands
   * them on in a record: such a method takes that record ({@code conv3Block2(scope.in("3"),
   * conv3Values)}).
   */
  private static void findRecordReaders(List<Unit> units, Map<Unit, BlockMethod> methodOf) {
    Map<BlockMethod, ClassName> reads = new LinkedHashMap<>();
    Set<BlockMethod> not = new LinkedHashSet<>();
    for (int k = 0; k < units.size(); k++) {
      BlockMethod method = methodOf.get(units.get(k));
      if (method == null) {
        continue;
      }
      BlockMethod previous = k > 0 ? methodOf.get(units.get(k - 1)) : null;
      Unit before = k > 0 ? units.get(k - 1) : null;
      boolean fromRecord = previous != null && previous.values != null
          && units.get(k).externals().stream().allMatch(external ->
              previous.outputs.contains(before.nodes().indexOf(external)));
      if (!fromRecord || (reads.containsKey(method) && !reads.get(method).equals(previous.values))) {
        not.add(method);
      } else {
        reads.put(method, previous.values);
      }
    }
    reads.forEach((method, record) -> method.reads = not.contains(method) ? null : record);
  }

  /** The stage's nodes, all in its method. */
  private Written inline() {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < graph.nodes().size(); i++) {
      all.add(i);
    }
    Unit unit = new Unit(null, all, List.of(Graph.INPUT), List.of(graph.output()));
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("$T scope = layers.in($S)", LAYERS, stage.name());
    Map<Integer, CodeBlock> values = new HashMap<>(Map.of(Graph.INPUT, CodeBlock.of("x")));
    new NodeWriter(graph, values, new LinkedHashSet<>(List.of("x", "scope", "layers")),
        this::channels, null).write(body, unit, all, CodeBlock.of("scope"));
    body.addStatement("return $L", values.get(graph.output()));
    return new Written(stageMethod(stage, body.build()), List.of(), List.of());
  }

  /**
   * The dense layer of every unit, where the stage is a chain of dense layers (a dense block) with
   * one activation; else empty.
   */
  private Optional<Map<Unit, DenseLayer>> denseBlock(List<Unit> units) {
    Map<Unit, DenseLayer> layers = new LinkedHashMap<>();
    int previous = Graph.INPUT;
    for (Unit unit : units) {
      Optional<DenseLayer> layer = DenseLayer.match(graph, unit, CodeBlock.of("features"));
      if (layer.isEmpty() || unit.externals().get(0) != previous
          || (!layers.isEmpty() && layer.get().act() != layers.values().iterator().next().act())) {
        return Optional.empty();
      }
      layers.put(unit, layer.get());
      previous = layer.get().concat();
    }
    return layers.isEmpty() || previous != graph.output() ? Optional.empty()
        : Optional.of(layers);
  }

  private int channels(int value) {
    return shaped.shape(value).channels();
  }

  /** A value's channels by its position in the method's first block, where every block agrees. */
  private IntUnaryOperator blockChannels(BlockMethod method) {
    Unit first = method.first();
    return value -> {
      int channels = -2;
      for (Unit block : method.blocks) {
        int position = first.nodes().indexOf(value);
        int same = position >= 0 ? block.nodes().get(position)
            : block.externals().get(first.externals().indexOf(value));
        int c = channels(same);
        channels = channels == -2 || channels == c ? c : -1;
      }
      return channels;
    };
  }

  private String shapes(List<Integer> values) {
    return values.stream().map(v -> shaped.shape(v).describe())
        .collect(Collectors.joining(", "));
  }

  /** The name of a value a block hands on: "concatDense" for "1.concat_dense". */
  private String field(int node) {
    String name = graph.nodes().get(node).name();
    String relative = name.substring(name.indexOf('.') + 1);
    StringBuilder out = new StringBuilder();
    for (String part : relative.split("[._]")) {
      if (!part.isEmpty()) {
        out.append(out.length() == 0 ? part : upperFirst(part));
      }
    }
    String field = out.toString();
    return field.isEmpty() || !Character.isJavaIdentifierStart(field.charAt(0))
        || SourceVersion.isKeyword(field) ? "value" + upperFirst(field) : field;
  }

  private static String unique(Set<String> taken, String name) {
    String candidate = name;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = name + n;
    }
    return candidate;
  }

  private static String upperFirst(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String lowerFirst(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
