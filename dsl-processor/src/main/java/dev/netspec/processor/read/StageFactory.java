package dev.netspec.processor.read;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.BlockSpec;
import dev.netspec.processor.block.Binding;
import dev.netspec.processor.block.ExpressionException;
import dev.netspec.annotations.Join;
import dev.netspec.processor.model.BlockStage;
import dev.netspec.processor.model.BranchesStage;
import dev.netspec.annotations.Downsample;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.PoolKind;
import dev.netspec.processor.check.Diagnostics;
import dev.netspec.processor.model.ActivationStage;
import dev.netspec.processor.model.AttentionConv;
import dev.netspec.processor.model.BatchNormStage;
import dev.netspec.processor.model.ClassifierStage;
import dev.netspec.processor.model.ConvStage;
import dev.netspec.processor.model.DenseBlockStage;
import dev.netspec.processor.model.DenseStage;
import dev.netspec.processor.model.DropoutStage;
import dev.netspec.processor.model.DualPathStage;
import dev.netspec.processor.model.FlattenStage;
import dev.netspec.processor.model.GlobalPoolStage;
import dev.netspec.processor.model.LayerNormStage;
import dev.netspec.processor.model.LayerScaleStage;
import dev.netspec.processor.model.NamedStage;
import dev.netspec.processor.model.NormalizeStage;
import dev.netspec.processor.model.PoolStage;
import dev.netspec.processor.model.Problem;
import dev.netspec.processor.model.ResidualStage;
import dev.netspec.processor.model.SelectiveKernel;
import dev.netspec.processor.model.SplitAttention;
import dev.netspec.processor.model.SqueezeExciteStage;
import dev.netspec.processor.model.SqueezeExciteUnit;
import dev.netspec.processor.model.StochasticDepthStage;
import dev.netspec.processor.model.Stage;
import dev.netspec.processor.model.TransitionStage;
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
 * Turns a stage annotation's attributes into a model {@link Stage}, resolving defaults (padding,
 * pool stride, the network's activation and epsilon). Another spec named by {@code @Use} is read
 * here, recursively.
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
      case CONV -> Optional.of(conv(a, defaults));
      case POOL -> Optional.of(new PoolStage(a.enumValue("kind", PoolKind.class), a.integer("kernel"),
          a.integer("stride") == -1 ? a.integer("kernel") : a.integer("stride"),
          a.integer("padding"), a.bool("ceil")));
      case BATCH_NORM -> Optional.of(new BatchNormStage(
          a.real("epsilon") == -1 ? defaults.epsilon() : a.real("epsilon"), a.real("momentum"),
          defaults.resolve(a.enumValue("act", Act.class))));
      case ACTIVATION -> Optional.of(new ActivationStage(defaults.resolve(a.enumValue("value", Act.class))));
      case DROPOUT -> Optional.of(new DropoutStage(a.real("rate")));
      case RESIDUAL -> Optional.of(new ResidualStage(a.integer("blocks"), a.integer("planes"),
          a.enumValue("block", Block.class), a.integer("stride"), a.integer("groups"),
          a.integer("baseWidth"), a.bool("preact"), a.real("dropout"),
          a.enumValue("downsample", Downsample.class), defaults.activation(),
          squeezeExcite(decl), attentionConv(decl)));
      case DENSE_BLOCK -> Optional.of(new DenseBlockStage(a.integer("growth"), a.integer("layers"),
          a.integer("bottleneck"), a.real("dropout"), a.enumValue("order", Order.class),
          defaults.activation(), squeezeExcite(decl)));
      case TRANSITION -> Optional.of(new TransitionStage(a.real("compression"), a.integer("channels"),
          a.enumValue("pool", PoolKind.class), a.bool("ceil"), a.real("dropout"),
          a.enumValue("order", Order.class), defaults.activation()));
      case GLOBAL_POOL -> Optional.of(new GlobalPoolStage(a.enumValue("value", PoolKind.class)));
      case FLATTEN -> Optional.of(new FlattenStage());
      case DENSE -> Optional.of(new DenseStage(a.integer("units"), a.bool("bias"),
          defaults.resolve(a.enumValue("act", Act.class))));
      case CLASSIFIER -> Optional.of(new ClassifierStage(a.integer("classes"),
          a.enumValue("pool", PoolKind.class), a.real("dropout")));
      case NORMALIZE -> Optional.of(new NormalizeStage());
      case USE -> use(a, problems);
      case STACK -> blockUse(a, a.integer("repeat"), defaults, problems, outer)
          .map(Stage.class::cast);
      case BRANCHES -> branches(a, defaults, problems, outer);
      case LAYER_NORM -> Optional.of(new LayerNormStage(a.real("epsilon")));
      case LAYER_SCALE -> Optional.of(new LayerScaleStage(a.real("init")));
      case STOCHASTIC_DEPTH -> Optional.of(new StochasticDepthStage(a.real("rate")));
      case SQUEEZE_EXCITE -> squeezeExcite(a, defaults, problems);
      case DUAL_PATH -> Optional.of(new DualPathStage(a.integer("blocks"), a.integer("width"),
          a.integer("inc"), a.integer("kR"), a.integer("G"), a.integer("stride"),
          squeezeExcite(decl), defaults.activation()));
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

  /**
   * A {@code @SqueezeExcite} stage. A width that a {@code @Let} computes is taken as it comes: -1
   * means "from {@code reduction}" only where written in the annotation, so an expression that
   * comes to -1 is an error, as 0 or -2 are.
   */
  private static Optional<Stage> squeezeExcite(Attributes a, NetworkDefaults defaults,
      List<Problem> problems) {
    int channels = a.integer("channels");
    if (a.isBound("channels") && channels < 1) {
      problems.add(Problem.on("channels", "@Let(channels) gives the squeeze " + channels
          + " channels; it needs at least 1: change the expression, or leave channels out of"
          + " @SqueezeExcite and @Let for max(C / reduction, minChannels)"));
      return Optional.empty();
    }
    return Optional.of(new SqueezeExciteStage(channels, a.integer("reduction"),
        a.integer("minChannels"), defaults.resolve(a.enumValue("act", Act.class)),
        a.enumValue("gate", Act.class)));
  }

  /** The {@code @SqueezeExcite} beside the stage annotation, if any. */
  private static Optional<SqueezeExciteUnit> squeezeExcite(StageDecl decl) {
    return decl.modifier(ModifierKind.SQUEEZE_EXCITE).map(StageDecl.ModifierDecl::attributes)
        .map(m -> new SqueezeExciteUnit(m.integer("reduction"), m.integer("minChannels")));
  }

  /**
   * The selective kernel or split attention replacing the 3×3. Both are an error (reported by
   * {@link #checkModifiers}); then neither is checked, since the fix removes one or the other.
   */
  private static Optional<AttentionConv> attentionConv(StageDecl decl) {
    if (decl.modifier(ModifierKind.SELECTIVE_KERNEL).isPresent()
        && decl.modifier(ModifierKind.SPLIT_ATTENTION).isPresent()) {
      return Optional.empty();
    }
    Optional<AttentionConv> selective = decl.modifier(ModifierKind.SELECTIVE_KERNEL)
        .map(StageDecl.ModifierDecl::attributes)
        .map(m -> new SelectiveKernel(m.integer("branches"), m.integer("groups"),
            m.integer("reduction"), m.integer("minDim")));
    if (selective.isPresent()) {
      return selective;
    }
    return decl.modifier(ModifierKind.SPLIT_ATTENTION).map(StageDecl.ModifierDecl::attributes)
        .map(m -> new SplitAttention(m.integer("radix"), m.integer("cardinality"),
            m.integer("reduction")));
  }

  private static ConvStage conv(Attributes a, NetworkDefaults defaults) {
    int kernel = a.integer("kernel");
    int dilation = a.integer("dilation");
    // PyTorch's default for an even kernel, which no symmetric padding keeps at size
    int byDefault = kernel % 2 == 0 ? 0 : dilation * (kernel / 2);
    int padding = a.integer("padding") == -1 ? byDefault : a.integer("padding");
    return new ConvStage(a.integer("channels"), kernel, a.integer("stride"), padding, dilation,
        a.integer("groups"), a.bool("bias"), a.enumValue("norm", Norm.class),
        defaults.resolve(a.enumValue("act", Act.class)), a.enumValue("order", Order.class),
        a.bool("depthwise"));
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
