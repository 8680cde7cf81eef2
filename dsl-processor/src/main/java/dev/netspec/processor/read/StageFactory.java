package dev.netspec.processor.read;

import dev.netspec.annotations.BlockSpec;
import dev.netspec.processor.block.Binding;
import dev.netspec.processor.block.ExpressionException;
import dev.netspec.annotations.Join;
import dev.netspec.processor.model.BlockStage;
import dev.netspec.processor.model.BranchesStage;
import dev.netspec.processor.check.Diagnostics;
import dev.netspec.processor.model.NamedStage;
import dev.netspec.processor.model.Problem;
import dev.netspec.processor.model.Stage;
import dev.netspec.processor.model.UseStage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Turns a stage declaration into a model {@link Stage}: each kind reads its own annotation
 * ({@link StageKind}); another spec named by {@code @Use}, and the blocks named by {@code @Stack}
 * and {@code @Branches}, are read here, recursively.
 */
public final class StageFactory {
  private final Elements elements;
  private final DeclarationOrder order;
  /** Specs being read, to catch a spec that uses itself. */
  private final Set<String> inProgress = new LinkedHashSet<>();

  /** A factory for the stages of {@code spec}, which its stages' {@code @Use} must not reach. */
  public StageFactory(Elements elements, DeclarationOrder order, TypeElement spec) {
    this.elements = elements;
    this.order = order;
    inProgress.add(spec.getQualifiedName().toString());
  }

  /**
   * The stage, or empty where none can be made; what is wrong goes to {@code problems}. A modifier
   * in the wrong place is a problem, but the stage is made without it: no modifier changes a
   * stage's output shape, so the stages after it are still checked at their inputs.
   */
  public Optional<Stage> create(StageDecl decl, NetworkDefaults defaults, List<Problem> problems) {
    return create(decl, defaults, problems, Map.of());
  }

  /**
   * The stage of a block's method, where a {@code @Stack}'s bindings may use the values of the
   * enclosing block's parameters, {@code outer}.
   */
  Optional<Stage> create(StageDecl decl, NetworkDefaults defaults, List<Problem> problems,
      Map<String, Long> outer) {
    checkModifiers(decl, problems);
    Attributes a = decl.attributes();
    return switch (decl.kind()) {
      case USE -> use(a, problems);
      case STACK -> blockUse(a, a.integer("repeat"), defaults, problems, outer)
          .map(Stage.class::cast);
      case BRANCHES -> branches(a, defaults, problems, outer);
      default -> Optional.of(decl.kind().read(decl, defaults));
    };
  }

  /**
   * A modifier on a stage it cannot modify, and two modifiers that both replace a block's 3×3
   * convolution, are reported on the modifier.
   */
  private static void checkModifiers(StageDecl decl, List<Problem> problems) {
    for (StageDecl.ModifierDecl modifier : decl.modifiers()) {
      ModifierKind kind = modifier.kind();
      if (!kind.modifies(decl.kind())) {
        problems.add(Problem.onModifier(kind.simpleName(), null, kind.label() + " modifies the"
            + " blocks of a " + kind.stagesLabel() + " stage, but " + decl.name() + "() is a "
            + decl.kind().label() + " stage; remove " + kind.label() + " from " + decl.name() + "()"));
      }
    }
    decl.modifier(ModifierKind.SQUEEZE_EXCITE).ifPresent(se -> {
      for (String attribute : List.of("channels", "act", "gate")) {
        if (se.attributes().isSet(attribute)) {
          problems.add(Problem.onModifier(ModifierKind.SQUEEZE_EXCITE.simpleName(), attribute,
              "@SqueezeExcite(" + attribute + ") sets a @SqueezeExcite stage; beside "
                  + decl.kind().label() + " the gate is timm's (ReLU, sigmoid, max(C / reduction,"
                  + " minChannels) channels): remove " + attribute + ", or declare a block"
                  + " with a @SqueezeExcite stage"));
        }
      }
    });
    if (decl.modifier(ModifierKind.SELECTIVE_KERNEL).isPresent()
        && decl.modifier(ModifierKind.SPLIT_ATTENTION).isPresent()
        && ModifierKind.SPLIT_ATTENTION.modifies(decl.kind())) {
      problems.add(Problem.onModifier(ModifierKind.SPLIT_ATTENTION.simpleName(), null,
          "@SplitAttention and @SelectiveKernel both replace the 3×3 convolution of "
              + decl.name() + "()'s blocks; keep one of them"));
    }
  }

  private Optional<Stage> use(Attributes a, List<Problem> problems) {
    Optional<TypeElement> used = a.type("value");
    if (used.isEmpty()) {
      problems.add(Problem.on("value", "@Use needs a spec interface annotated @Network"));
      return Optional.empty();
    }
    TypeElement spec = used.get();
    String name = spec.getSimpleName().toString();
    String qualified = spec.getQualifiedName().toString();
    if (inProgress.contains(qualified)) {
      problems.add(Problem.on("value", "@Use(" + name + ".class) makes a cycle: "
          + String.join(" → ", inProgress) + " → " + qualified + "; a spec cannot use itself,"
          + " directly or through others: remove one of these @Use stages"));
      return Optional.empty();
    }
    Diagnostics silent = Diagnostics.silent();
    Optional<SpecDecl> decl = new SpecReader(elements, silent, order).read(spec);
    if (SpecReader.mirror(spec, dev.netspec.annotations.Network.class.getCanonicalName()).isEmpty()) {
      problems.add(Problem.on("value", name + " is not a network spec; annotate it @Network"));
      return Optional.empty();
    }
    if (decl.isEmpty() || silent.errorCount() > 0) {
      problems.add(Problem.on("value", name + " is not a valid spec; fix its errors first"));
      return Optional.empty();
    }
    List<StageDecl> stages = decl.get().stages();
    String until = a.string("until");
    int last = stages.size() - 1;
    if (!until.isEmpty()) {
      last = indexOf(stages, until);
      if (last < 0) {
        problems.add(Problem.on("until", name + " has no stage '" + until + "'; its stages are "
            + stages.stream().map(StageDecl::name).collect(Collectors.joining(", "))));
        return Optional.empty();
      }
    }
    NetworkDefaults defaults = NetworkDefaults.of(decl.get().network());
    List<NamedStage> built = new ArrayList<>();
    inProgress.add(qualified);
    try {
      for (StageDecl stage : stages.subList(0, last + 1)) {
        List<Problem> inner = new ArrayList<>();
        Optional<Stage> made = create(stage, defaults, inner);
        if (made.isEmpty() || !inner.isEmpty()) {
          inner.forEach(p -> problems.add(
              Problem.on("value", "in " + name + "." + stage.name() + "(): " + p.message())));
          return Optional.empty();
        }
        built.add(new NamedStage(stage.name(), made.get()));
      }
    } finally {
      inProgress.remove(qualified);
    }
    return Optional.of(new UseStage(name, elements.getPackageOf(spec).getQualifiedName().toString(),
        GeneratedNames.className(spec, decl.get().network()), stages.get(last).name(),
        decl.get().network().annotation("input").integer("channels"), List.copyOf(built)));
  }

  /**
   * A user's block used {@code repeat} times: a {@code @Stack}, or a {@code @Branch} (which has
   * no {@code first}). A block with errors of its own makes no stage: where it is compiled here its
   * errors are reported in its file; where it comes from a class path, here.
   */
  private Optional<BlockStage> blockUse(Attributes a, int repeat, NetworkDefaults defaults,
      List<Problem> problems, Map<String, Long> outer) {
    String label = "@" + a.mirror().getAnnotationType().asElement().getSimpleName();
    Optional<TypeElement> type = a.type("block");
    if (type.isEmpty()) {
      problems.add(Problem.on("block", label + " needs a block interface annotated @BlockSpec"));
      return Optional.empty();
    }
    String name = type.get().getSimpleName().toString();
    if (SpecReader.mirror(type.get(), BlockSpec.class.getCanonicalName()).isEmpty()) {
      problems.add(Problem.on("block", name + " is not a block; annotate it @BlockSpec"
          + (SpecReader.mirror(type.get(), dev.netspec.annotations.Network.class.getCanonicalName()).isPresent()
              ? " (a whole network is used with @Use(" + name + ".class))" : "")));
      return Optional.empty();
    }
    Diagnostics silent = Diagnostics.silent();
    Optional<BlockDecl> block = new BlockReader(elements, silent, order).read(type.get());
    if (block.isEmpty()) {
      if (!order.isSource(type.get())) {
        problems.add(Problem.on("block", name + " is not a valid block; fix its errors first"));
      }
      return Optional.empty();
    }
    List<Binding> with = bindings(a, label, "with", problems);
    List<Binding> first = a.names().contains("first") ? bindings(a, label, "first", problems)
        : List.of();
    if (with == null || first == null) {
      return Optional.empty();
    }
    return Optional.of(new BlockStage(new UserBlock(block.get(), this, defaults),
        repeat, with, first, outer));
  }

  /**
   * {@code @Branches}: each {@code @Branch} a block used once, its problems on that {@code
   * @Branch}; the stage only where every path could be made.
   */
  private Optional<Stage> branches(Attributes a, NetworkDefaults defaults, List<Problem> problems,
      Map<String, Long> outer) {
    Join join = a.enumValue("join", Join.class);
    if (join != Join.SELECT) {
      for (String attribute : List.of("reduction", "divisor")) {
        if (a.isSet(attribute)) {
          problems.add(Problem.on(attribute, "@Branches(" + attribute + ") sizes the attention of"
              + " Join.SELECT, but the paths are joined by Join." + join + "; remove "
              + attribute + ", or join with Join.SELECT"));
        }
      }
    }
    List<Attributes> branches = a.annotations("value");
    List<BlockStage> paths = new ArrayList<>();
    for (int i = 0; i < branches.size(); i++) {
      List<Problem> made = new ArrayList<>();
      blockUse(branches.get(i), 1, defaults, made, outer).ifPresent(paths::add);
      String at = BranchesStage.path(i);
      made.forEach(p -> problems.add(p.within(at)));
    }
    if (paths.size() < branches.size()) {
      return Optional.empty();
    }
    return Optional.of(new BranchesStage(paths, join, a.integer("reduction"),
        a.integer("divisor")));
  }

  /** The bindings of a use; null where one does not parse (reported). */
  private static List<Binding> bindings(Attributes a, String label, String attribute,
      List<Problem> problems) {
    List<Binding> bindings = new ArrayList<>();
    boolean ok = true;
    for (String text : a.strings(attribute)) {
      try {
        bindings.add(Binding.parse(text, true));
      } catch (ExpressionException e) {
        problems.add(Problem.on(attribute, label + "(" + attribute + "): " + e.getMessage()));
        ok = false;
      }
    }
    return ok ? bindings : null;
  }

  private static int indexOf(List<StageDecl> stages, String name) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
