package dev.netspec.processor.read;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BlockSpec;
import dev.netspec.annotations.Let;
import dev.netspec.annotations.Shortcut;
import dev.netspec.processor.block.Binding;
import dev.netspec.processor.block.Expression;
import dev.netspec.processor.block.ExpressionException;
import dev.netspec.processor.block.Suggestions;
import dev.netspec.processor.check.Diagnostics;
import dev.netspec.processor.model.BranchesStage;
import dev.netspec.processor.model.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Reads a {@code @BlockSpec} interface and checks what is the block's own: its parameters, its
 * stage methods, its {@code @Let} expressions (parsed, their names known, each on an attribute
 * its stage has) and the blocks it stacks (no cycle). What depends on a use's values is checked
 * at the use.
 */
public final class BlockReader {
  /** The attributes a {@code @Let} may set, by stage kind. */
  private static final Map<StageKind, List<String>> LETTABLE = Map.of(
      StageKind.CONV, List.of("channels", "kernel", "stride", "padding", "groups", "dilation"),
      StageKind.POOL, List.of("kernel", "stride", "padding"),
      StageKind.SQUEEZE_EXCITE, List.of("channels"));

  private final Elements elements;
  private final Diagnostics diagnostics;
  private final DeclarationOrder order;

  public BlockReader(Elements elements, Diagnostics diagnostics, DeclarationOrder order) {
    this.elements = elements;
    this.diagnostics = diagnostics;
    this.order = order;
  }

  /** The block, or empty where it has errors (reported) or is not annotated {@code @BlockSpec}. */
  public Optional<BlockDecl> read(TypeElement type) {
    Optional<AnnotationMirror> mirror = SpecReader.mirror(type, BlockSpec.class.getCanonicalName());
    if (mirror.isEmpty()) {
      return Optional.empty();
    }
    int before = diagnostics.errorCount();
    Attributes spec = Attributes.of(mirror.get(), elements);
    if (type.getKind() != ElementKind.INTERFACE) {
      diagnostics.error(type, mirror.get(), "@BlockSpec marks an interface, but "
          + type.getSimpleName() + " is not one; declare it as 'interface " + type.getSimpleName() + "'");
      return Optional.empty();
    }
    if (!type.getTypeParameters().isEmpty() || !type.getInterfaces().isEmpty()) {
      diagnostics.error(type, mirror.get(), "a block can neither have type parameters nor extend"
          + " interfaces; to reuse another block, add a stage @Stack(block = Other.class)");
    }
    List<Binding> parameters = parameters(type, spec);
    SpecReader.Stages read = new SpecReader(elements, diagnostics, order).readStages(type);
    if (read.stages().isEmpty() && diagnostics.errorCount() == before) {
      diagnostics.error(type, mirror.get(), "a block needs at least one stage: declare an abstract"
          + " method with a stage annotation such as @Conv(channels = 64)");
    }
    Set<String> names = parameters.stream().map(Binding::name)
        .collect(Collectors.toCollection(LinkedHashSet::new));
    names.add(Binding.INPUT);
    List<Map<String, Expression>> lets = new ArrayList<>();
    for (StageDecl stage : read.stages()) {
      lets.add(lets(stage, names));
      checkCycles(stage, List.of(type.getQualifiedName().toString()));
    }
    Shortcut shortcut = spec.enumValue("shortcut", Shortcut.class);
    checkStochasticDepth(type, shortcut, read.stages());
    if (diagnostics.errorCount() == before && read.firstGap() < 0) {
      checkOwnSettings(type, read.stages(), lets, names);
    }
    if (diagnostics.errorCount() > before || read.firstGap() >= 0) {
      return Optional.empty();
    }
    return Optional.of(new BlockDecl(type, parameters, shortcut,
        spec.enumValue("act", Act.class), read.stages(), List.copyOf(lets)));
  }

  /**
   * A {@code @StochasticDepth} drops the residual branch: it is the last stage of a block whose
   * shortcut adds.
   */
  private void checkStochasticDepth(TypeElement type, Shortcut shortcut, List<StageDecl> stages) {
    for (int i = 0; i < stages.size(); i++) {
      StageDecl stage = stages.get(i);
      if (stage.kind() != StageKind.STOCHASTIC_DEPTH) {
        continue;
      }
      if (shortcut == Shortcut.NONE || shortcut == Shortcut.CONCAT) {
        diagnostics.error(stage.method(), stage.attributes(), null, "@StochasticDepth drops the"
            + " residual branch of a block whose shortcut adds, but " + type.getSimpleName()
            + " has Shortcut." + shortcut + "; declare it with Shortcut.ADD,"
            + " ADD_WHEN_SHAPES_MATCH or ADD_OR_PROJECT, or remove " + stage.name() + "()");
      } else if (i != stages.size() - 1) {
        diagnostics.error(stage.method(), stage.attributes(), null, "@StochasticDepth drops the"
            + " whole residual branch, so it is the block's last stage, but " + stage.name()
            + "() is followed by " + stages.get(i + 1).name() + "(); move " + stage.name()
            + "() to the end of " + type.getSimpleName());
      }
    }
  }

  /** The declared parameters; a default must be an integer. */
  private List<Binding> parameters(TypeElement type, Attributes spec) {
    List<Binding> parameters = new ArrayList<>();
    for (String text : spec.strings("parameters")) {
      try {
        Binding parameter = Binding.parse(text, false);
        if (parameter.value() != null && !parameter.value().names().isEmpty()) {
          diagnostics.error(type, spec, "parameters", "the default of '" + parameter.name()
              + "' (\"" + text + "\") must be a number: a default cannot depend on other values;"
              + " set it with @Let where it is used");
        } else if (parameters.stream().anyMatch(p -> p.name().equals(parameter.name()))) {
          diagnostics.error(type, spec, "parameters", "parameter '" + parameter.name()
              + "' is declared twice; remove one");
        } else {
          parameters.add(parameter);
        }
      } catch (ExpressionException e) {
        diagnostics.error(type, spec, "parameters", "parameter \"" + text + "\": " + e.getMessage());
      }
    }
    return parameters;
  }

  /** The {@code @Let} beside {@code stage}, checked; the attributes it sets. */
  private Map<String, Expression> lets(StageDecl stage, Set<String> names) {
    Optional<AnnotationMirror> mirror = SpecReader.mirror(stage.method(), Let.class.getCanonicalName());
    Map<String, Expression> lets = new LinkedHashMap<>();
    Attributes let = mirror.map(m -> Attributes.of(m, elements)).orElse(null);
    List<String> lettable = LETTABLE.getOrDefault(stage.kind(), List.of());
    if (let != null) {
      for (String attribute : let.names()) {
        String text = let.string(attribute);
        if (text.isEmpty()) {
          continue;
        }
        if (!lettable.contains(attribute)) {
          diagnostics.error(stage.method(), let, attribute, "@Let(" + attribute + ") sets nothing on"
              + " a " + stage.kind().label() + " stage; @Let sets " + String.join(", ", LETTABLE.get(StageKind.CONV))
              + " of a @Conv, " + String.join(", ", LETTABLE.get(StageKind.POOL)) + " of a @Pool and"
              + " channels of a @SqueezeExcite");
          continue;
        }
        try {
          Expression expression = Expression.parse(text);
          boolean known = true;
          for (String name : expression.names()) {
            if (!names.contains(name)) {
              known = false;
              diagnostics.error(stage.method(), let, attribute, "@Let(" + attribute + " = \"" + text
                  + "\"): '" + name + "' is neither a parameter of the block nor 'in'"
                  + Suggestions.hint(name, names));
            }
          }
          if (stage.attributes().isSet(attribute) && stage.attributes().integer(attribute) != Let.BOUND) {
            known = false;
            diagnostics.error(stage.method(), let, attribute, attribute + " is set twice: "
                + stage.kind().label() + "(" + attribute + " = " + stage.attributes().integer(attribute)
                + ") and @Let(" + attribute + " = \"" + text + "\"); write " + attribute
                + " = Let.BOUND in " + stage.kind().label() + " or remove it from @Let");
          }
          if (known) {
            lets.put(attribute, expression);
          }
        } catch (ExpressionException e) {
          diagnostics.error(stage.method(), let, attribute, "@Let(" + attribute + "): " + e.getMessage());
        }
      }
    }
    for (String attribute : lettable) {
      if (stage.attributes().isSet(attribute) && stage.attributes().integer(attribute) == Let.BOUND
          && (let == null || let.string(attribute).isEmpty())) {
        diagnostics.error(stage.method(), stage.attributes(), attribute, stage.kind().label() + "("
            + attribute + " = Let.BOUND) takes its value from a @Let; add @Let(" + attribute
            + " = \"<expression>\") to " + stage.name() + "()");
      }
    }
    return Map.copyOf(lets);
  }

  /**
   * The network's activation and epsilon where a block's own settings are checked: each use
   * resolves them with its network's, whose own rules are checked on the network.
   */
  private static final NetworkDefaults STAND_IN = new NetworkDefaults(Act.RELU, 1e-5);

  /**
   * The rules of each stage without a {@code @Let}, reported in the block's file: they hold
   * whatever the use (a stage with a {@code @Let} is checked at each use, where its values are
   * known). A block that breaks one makes no stage at its uses, which stay silent about it.
   */
  private void checkOwnSettings(TypeElement type, List<StageDecl> stages,
      List<Map<String, Expression>> lets, Set<String> names) {
    StageFactory factory = new StageFactory(elements, order, type);
    // a @Stack's bindings may name the block's parameters, whose values come with each use
    Map<String, Long> outer = new LinkedHashMap<>();
    names.stream().filter(n -> !n.equals(Binding.INPUT)).forEach(n -> outer.put(n, 1L));
    for (int i = 0; i < stages.size(); i++) {
      if (!lets.get(i).isEmpty()) {
        continue;
      }
      List<Problem> problems = new ArrayList<>();
      factory.create(stages.get(i), STAND_IN, problems, outer)
          .ifPresent(stage -> problems.addAll(stage.checkSettings()));
      diagnostics.report(stages.get(i), problems);
    }
  }

  /** Reports a block used by {@code stage} that leads back to a block on {@code path}. */
  private void checkCycles(StageDecl stage, List<String> path) {
    usedBlocks(stage.kind(), stage.attributes()).forEach((attribute, block) ->
        cycleFrom(block, new ArrayList<>(path)).ifPresent(c -> diagnostics.error(stage.method(),
            stage.attributes(), attribute, (stage.kind() == StageKind.STACK ? "@Stack" : "@Branch")
                + "(block = " + block.getSimpleName() + ".class) makes a cycle: " + c
                + "; a block cannot use itself, directly or through others")));
  }

  /**
   * The blocks a stage uses, by the attribute naming each: a {@code @Stack}'s {@code block}, each
   * {@code @Branch}'s {@code value[i].block}.
   */
  private static Map<String, TypeElement> usedBlocks(StageKind kind, Attributes attributes) {
    Map<String, TypeElement> used = new LinkedHashMap<>();
    if (kind == StageKind.STACK) {
      attributes.type("block").ifPresent(b -> used.put("block", b));
    } else if (kind == StageKind.BRANCHES) {
      List<Attributes> branches = attributes.annotations("value");
      for (int i = 0; i < branches.size(); i++) {
        String at = BranchesStage.path(i) + ".block";
        branches.get(i).type("block").ifPresent(b -> used.put(at, b));
      }
    }
    return used;
  }

  private Optional<String> cycleFrom(TypeElement block, List<String> path) {
    String name = block.getQualifiedName().toString();
    if (path.contains(name)) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      return Optional.of(String.join(" → ", cycle));
    }
    List<String> next = new ArrayList<>(path);
    next.add(name);
    for (var method : ElementFilter.methodsIn(block.getEnclosedElements())) {
      for (StageKind kind : List.of(StageKind.STACK, StageKind.BRANCHES)) {
        Optional<AnnotationMirror> use = SpecReader.mirror(method, kind.annotationName());
        if (use.isEmpty()) {
          continue;
        }
        for (TypeElement inner : usedBlocks(kind, Attributes.of(use.get(), elements)).values()) {
          Optional<String> cycle = cycleFrom(inner, next);
          if (cycle.isPresent()) {
            return cycle;
          }
        }
      }
    }
    return Optional.empty();
  }
}
