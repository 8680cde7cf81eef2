package dev.netspec.processor.model;

import dev.netspec.annotations.Shortcut;
import dev.netspec.processor.block.Binding;
import dev.netspec.processor.block.Suggestions;
import dev.netspec.processor.ir.Add;
import dev.netspec.processor.ir.BatchNorm;
import dev.netspec.processor.ir.Concat;
import dev.netspec.processor.ir.Conv;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.TensorShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * {@code @Stack}: a user's block {@code repeat} times in a row, the parameters of each repetition
 * bound by {@code with}, and those of the first also by {@code first}. Repetition {@code r}'s
 * stage {@code m}() is the scope {@code r.m}; the shortcut's nodes are {@code r.add}, {@code
 * r.concat}, {@code r.downsample.0} and {@code .1} (the projection) and {@code r.act}.
 *
 * @param outer values of the enclosing block's parameters that the bindings may use (a stack
 *     inside a block); empty in a network spec
 */
public record BlockStage(
    BlockTemplate block, int repeat, List<Binding> with, List<Binding> first,
    Map<String, Long> outer) implements Stage {

  public BlockStage {
    with = List.copyOf(with);
    first = List.copyOf(first);
    outer = Map.copyOf(outer);
  }

  @Override
  public String kind() {
    return "Stack";
  }

  @Override
  public String description() {
    return block.name() + (repeat > 1 ? " x" + repeat : "");
  }

  @Override
  public List<Problem> checkSettings() {
    Rules rules = new Rules(kind()).repeats("repeat", repeat);
    Set<String> declared = block.parameters().stream().map(Binding::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    Set<String> usable = new LinkedHashSet<>(outer.keySet());
    usable.add(Binding.INPUT);
    for (String attribute : List.of("with", "first")) {
      Set<String> seen = new LinkedHashSet<>();
      for (Binding binding : attribute.equals("with") ? with : first) {
        if (!declared.contains(binding.name())) {
          rules.add(attribute, block.name() + " has no parameter '" + binding.name() + "'"
              + Suggestions.hint(binding.name(), declared));
        } else if (!seen.add(binding.name())) {
          rules.add(attribute, "'" + binding.name() + "' is bound twice in " + attribute
              + "; keep one");
        }
        for (String name : binding.value().names()) {
          if (!usable.contains(name)) {
            rules.add(attribute, "'" + name + "' in \"" + binding.name() + " = ...\" is no value"
                + " here: a use's expressions know " + String.join(", ", usable)
                + Suggestions.closest(name, usable).map(k -> "; did you mean '" + k + "'?").orElse(""));
          }
        }
      }
    }
    if (!first.isEmpty() && repeat == 1 && !with.isEmpty()) {
      for (Binding b : first) {
        if (with.stream().anyMatch(w -> w.name().equals(b.name()))) {
          rules.add("first", "'" + b.name() + "' is bound in both with and first of a block used"
              + " once; bind it in one of them");
        }
      }
    }
    if (rules.ok()) {
      for (Binding parameter : block.parameters()) {
        if (parameter.value() == null && with.stream().noneMatch(b -> b.name().equals(parameter.name()))
            && (repeat > 1 || first.stream().noneMatch(b -> b.name().equals(parameter.name())))) {
          rules.add(with.isEmpty() ? null : "with", block.name() + "'s parameter '" + parameter.name()
              + "' has no default" + (repeat > 1 && first.stream().anyMatch(b -> b.name().equals(parameter.name()))
                  ? " and first binds it for the first repetition only" : "")
              + "; add \"" + parameter.name() + " = <value>\" to with");
        }
      }
    }
    return rules.list();
  }

  @Override
  public List<Problem> check(TensorShape in) {
    Rules rules = new Rules(kind()).featureMap(in);
    if (!rules.ok()) {
      return rules.list();
    }
    List<Problem> settings = checkSettings();
    if (!settings.isEmpty()) {
      return settings;
    }
    List<Problem> problems = new ArrayList<>();
    repetitions(in, problems);
    return problems;
  }

  /** One repetition placed: its parameters' values, its stages and their walk from its input. */
  private record Repetition(Map<String, Long> values, List<NamedStage> stages, Walk walk,
      TensorShape input, TensorShape output) {}

  /**
   * Every repetition from {@code in}, until the first that fails (its problems in {@code
   * problems}): the next one's input would be a guess.
   */
  private List<Repetition> repetitions(TensorShape in, List<Problem> problems) {
    List<Repetition> placed = new ArrayList<>();
    TensorShape x = in;
    for (int r = 0; r < repeat; r++) {
      String attribute = r == 0 && !first.isEmpty() ? "first" : with.isEmpty() ? null : "with";
      Map<String, Long> values = new LinkedHashMap<>();
      try {
        values = values(x, r);
      } catch (ArithmeticException e) {
        problems.add(Problem.on(attribute, "at repetition " + r + " of " + block.name() + ": "
            + e.getMessage()));
        return placed;
      }
      String where = block.name() + (repeat > 1 ? " repetition " + r : "") + " ("
          + describe(values) + ")";
      List<String> made = new ArrayList<>();
      List<NamedStage> stages = block.instantiate(values, made);
      if (!made.isEmpty()) {
        made.forEach(m -> problems.add(Problem.on(attribute, "in " + where + ": " + m)));
        return placed;
      }
      Walk walk = Walk.of(stages, x);
      if (!walk.ok()) {
        for (Problem p : walk.problems()) {
          problems.add(Problem.on(attribute, "in " + where + ", " + stages.get(walk.failedStage()).name()
              + "() at its input " + walkInput(walk, x).describe() + ": " + p.message()));
        }
        return placed;
      }
      TensorShape y = walk.stages().get(walk.stages().size() - 1).output();
      String shortcutProblem = shortcutProblem(x, y);
      if (shortcutProblem != null) {
        problems.add(Problem.on(attribute, "in " + where + ": " + shortcutProblem));
        return placed;
      }
      TensorShape out = block.shortcut() == Shortcut.CONCAT
          ? y.withChannels(x.channels() + y.channels()) : y;
      placed.add(new Repetition(values, stages, walk, x, out));
      x = out;
    }
    return placed;
  }

  private static TensorShape walkInput(Walk walk, TensorShape in) {
    return walk.stages().isEmpty() ? in : walk.stages().get(walk.stages().size() - 1).output();
  }

  /** The parameters of repetition {@code r} on an input {@code x}: defaults, with, first. */
  private Map<String, Long> values(TensorShape x, int r) {
    Map<String, Long> env = new LinkedHashMap<>(outer);
    env.put(Binding.INPUT, (long) x.channels());
    Map<String, Long> values = new LinkedHashMap<>();
    for (Binding parameter : block.parameters()) {
      if (parameter.value() != null) {
        values.put(parameter.name(), parameter.value().evaluate(Map.of()));
      }
    }
    for (Binding b : with) {
      values.put(b.name(), b.value().evaluate(env));
    }
    if (r == 0) {
      for (Binding b : first) {
        values.put(b.name(), b.value().evaluate(env));
      }
    }
    Map<String, Long> ordered = new LinkedHashMap<>();
    block.parameters().forEach(p -> ordered.put(p.name(), values.get(p.name())));
    ordered.put(Binding.INPUT, (long) x.channels());
    return ordered;
  }

  private static String describe(Map<String, Long> values) {
    return values.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static boolean sameShape(TensorShape a, TensorShape b) {
    return a.channels() == b.channels() && a.height() == b.height() && a.width() == b.width()
        && a.stride() == b.stride();
  }

  /** What keeps the shortcut from joining {@code x} and {@code y}; null where it can. */
  private String shortcutProblem(TensorShape x, TensorShape y) {
    if (y.flat()) {
      return "the block's output is flat; a block works on feature maps";
    }
    return switch (block.shortcut()) {
      case NONE, ADD_WHEN_SHAPES_MATCH -> null;
      case ADD -> sameShape(x, y) ? null : "Shortcut.ADD adds the input (" + x.describe()
          + ") to the output (" + y.describe() + "), which differ; keep the stride at 1 and the"
          + " channels at in, or declare the block with Shortcut.ADD_WHEN_SHAPES_MATCH or"
          + " Shortcut.ADD_OR_PROJECT";
      case ADD_OR_PROJECT -> sameShape(x, y) ? null : projectionProblem(x, y);
      case CONCAT -> x.height() == y.height() && x.width() == y.width() && x.stride() == y.stride()
          ? null : "Shortcut.CONCAT joins the input (" + x.describe() + ") and the output ("
          + y.describe() + "), which differ in size; a dense block keeps the size: stride 1";
    };
  }

  private String projectionProblem(TensorShape x, TensorShape y) {
    if (y.stride() % x.stride() != 0) {
      return "the output's stride (" + y.stride() + ") is no multiple of the input's ("
          + x.stride() + "); a projection cannot match them";
    }
    TensorShape projected = projection(x, y).output(List.of(x));
    return sameShape(projected, y) ? null : "the 1x1 projection at stride " + y.stride() / x.stride()
        + " maps the input (" + x.describe() + ") to " + projected.describe() + ", not to the"
        + " output (" + y.describe() + "); pad the block's convolutions to keep ceil(size / stride)";
  }

  private static Conv projection(TensorShape x, TensorShape y) {
    return new Conv(y.channels(), 1, y.stride() / x.stride(), 0, 1, 1, false);
  }

  @Override
  public Graph expand(TensorShape in) {
    return expand(in, Integer::toString);
  }

  /**
   * A block used once, its nodes named by its methods alone ({@code depthwise.conv}, {@code add}):
   * a path of {@link BranchesStage}.
   */
  Graph expandOnce(TensorShape in) {
    if (repeat != 1) {
      throw new IllegalStateException("a block used " + repeat + " times has numbered scopes");
    }
    return expand(in, r -> "");
  }

  /** The repetitions, each nodes in the scope {@code scopes} names for its index. */
  private Graph expand(TensorShape in, IntFunction<String> scopes) {
    List<Problem> problems = new ArrayList<>();
    List<Repetition> repetitions = repetitions(in, problems);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("expanding a stack that fails its check: " + problems);
    }
    Graph.Builder g = Graph.builder();
    int x = Graph.INPUT;
    for (int r = 0; r < repetitions.size(); r++) {
      Repetition rep = repetitions.get(r);
      String scope = scopes.apply(r);
      int y = x;
      TensorShape out = rep.walk().stages().get(rep.walk().stages().size() - 1).output();
      boolean adds = switch (block.shortcut()) {
        case NONE, CONCAT -> false;
        case ADD, ADD_OR_PROJECT -> true;
        case ADD_WHEN_SHAPES_MATCH -> sameShape(rep.input(), out);
      };
      for (StageModel stage : rep.walk().stages()) {
        // without an add there is no residual branch to drop; the op stays, at rate 0, so that
        // it counts in the network's schedule as torchvision's EfficientNet counts every block
        Graph graph = stage.stage() instanceof StochasticDepthStage && !adds
            ? new StochasticDepthStage(0).expand(stage.input()) : stage.graph().graph();
        y = g.inline(Graph.join(scope, stage.name()), graph, y);
      }
      y = switch (block.shortcut()) {
        case NONE -> y;
        case ADD -> g.add(Graph.join(scope, "add"), new Add(), y, x);
        case ADD_WHEN_SHAPES_MATCH ->
            sameShape(rep.input(), out) ? g.add(Graph.join(scope, "add"), new Add(), y, x) : y;
        case ADD_OR_PROJECT -> {
          int shortcut = x;
          if (!sameShape(rep.input(), out)) {
            shortcut = g.add(Graph.join(scope, "downsample.0"), projection(rep.input(), out), x);
            shortcut = g.add(Graph.join(scope, "downsample.1"), new BatchNorm(), shortcut);
          }
          yield g.add(Graph.join(scope, "add"), new Add(), y, shortcut);
        }
        case CONCAT -> g.add(Graph.join(scope, "concat"), new Concat(), x, y);
      };
      x = Units.act(g, Graph.join(scope, "act"), block.act(), y);
    }
    return g.build(x);
  }
}
