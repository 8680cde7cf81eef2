package dev.netspec.processor.check;

import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.TensorShape;
import dev.netspec.processor.model.MinimumInput;
import dev.netspec.processor.model.NamedStage;
import dev.netspec.processor.model.DepthSchedule;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.Problem;
import dev.netspec.processor.model.Stage;
import dev.netspec.processor.model.Walk;
import dev.netspec.processor.read.Attributes;
import dev.netspec.processor.read.DeclarationOrder;
import dev.netspec.processor.read.GeneratedNames;
import dev.netspec.processor.read.NetworkDefaults;
import dev.netspec.processor.read.SpecDecl;
import dev.netspec.processor.read.SpecReader;
import dev.netspec.processor.read.StageDecl;
import dev.netspec.processor.read.StageFactory;
import dev.netspec.processor.write.Names;
import dev.netspec.processor.write.NetworkWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.util.Elements;

/**
 * Every compile-time rule of a spec: the network's own settings, the names the generated class
 * will declare, each stage's arithmetic in order, and the {@code @Output} and {@code @Expect}
 * contracts. Yields the checked {@link NetworkModel}, or nothing when an error was reported.
 */
public final class NetworkChecker {
  private final Elements elements;
  private final Diagnostics diagnostics;
  private final DeclarationOrder order;

  public NetworkChecker(Elements elements, Diagnostics diagnostics, DeclarationOrder order) {
    this.elements = elements;
    this.diagnostics = diagnostics;
    this.order = order;
  }

  /**
   * Checks every rule and reports every problem it finds in one go: the network's settings, the
   * names, each stage (see {@link Walk} for how a stage after an invalid one is checked), and the
   * contracts where the whole network's shapes are known. The model only if nothing was reported,
   * here or by the reader before.
   */
  public Optional<NetworkModel> check(SpecDecl spec) {
    int before = diagnostics.errorCount();
    Element type = spec.spec();
    Attributes network = spec.network();
    checkName(type, network);
    Defaults defaults = checkDefaults(type, network);
    Optional<TensorShape> image = checkInput(type, network);
    boolean outputValid = checkOutput(type, network);
    checkNames(spec);

    StageFactory factory = new StageFactory(elements, order, spec.spec());
    List<Optional<NamedStage>> slots = new ArrayList<>();
    List<StageDecl> decls = new ArrayList<>();
    for (int i = 0; i < spec.stages().size(); i++) {
      StageDecl decl = spec.stages().get(i);
      if (i == spec.firstGap()) {
        // a method that could not be read as a stage (reported): what follows has an unknown input
        slots.add(Optional.empty());
        decls.add(null);
      }
      List<Problem> problems = new ArrayList<>();
      Optional<Stage> stage = factory.create(decl, defaults.checked(), problems);
      diagnostics.report(decl, problems);
      slots.add(stage.map(s -> new NamedStage(decl.name(), s)));
      decls.add(decl);
    }
    if (spec.firstGap() == spec.stages().size()) {
      // after the last stage: the network's output is unknown
      slots.add(Optional.empty());
      decls.add(null);
    }
    UnaryOperator<NamedStage> placed = NamedStage.placedAmong(
        slots.stream().flatMap(Optional::stream).toList());
    slots.replaceAll(slot -> slot.map(placed));
    Walk walk = Walk.through(slots, image);
    for (Walk.Failure failure : walk.failures()) {
      diagnostics.report(decls.get(failure.index()), failure.problems());
    }
    if (!walk.ok() || walk.stages().isEmpty()) {
      return Optional.empty();
    }
    TensorShape input = image.orElseThrow();
    List<NamedStage> stages = slots.stream().map(Optional::orElseThrow).toList();
    NetworkModel model = new NetworkModel(
        elements.getPackageOf(type).getQualifiedName().toString(),
        GeneratedNames.className(spec.spec(), network), Names.referenceFromPackage(spec.spec()),
        input, DepthSchedule.apply(walk.stages()), defaults.checked().activation(), defaults.checked().epsilon(),
        input.fixed() ? Math.min(input.height(), input.width()) : MinimumInput.side(stages, input.channels()));
    // The contracts are about the whole network, whose shapes are known here; each is skipped
    // where its own values are invalid, and @Expect where the activation is (PReLU adds weights).
    new ContractChecker(diagnostics).check(spec, model, outputValid, defaults.valid());
    return diagnostics.errorCount() > before ? Optional.empty() : Optional.of(model);
  }

  private void checkName(Element type, Attributes network) {
    String name = network.string("name");
    if (!name.isEmpty() && (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name))) {
      diagnostics.error(type, network, "name", "@Network(name = \"" + name
          + "\") must be a Java class name, such as \"ResNet50\"");
    }
    if (name.equals(type.getSimpleName().toString())) {
      diagnostics.error(type, network, "name", "@Network(name = \"" + name + "\") is the spec's own"
          + " name; the generated class needs another, such as \"" + name + "Graph\"");
    }
  }

  /**
   * What {@code @Network} sets for every stage.
   *
   * @param checked the defaults the stages are checked with: the network's, but where one is
   *     invalid (reported) the annotation's own default, so that no stage reports the network's
   *     error again (a BatchNorm "epsilon = -1e-5 must be positive")
   * @param valid whether the network's own were valid
   */
  private record Defaults(NetworkDefaults checked, boolean valid) {}

  private Defaults checkDefaults(Element type, Attributes network) {
    Act activation = network.enumValue("activation", Act.class);
    double epsilon = network.real("epsilon");
    boolean valid = true;
    if (activation == Act.DEFAULT) {
      diagnostics.error(type, network, "activation",
          "@Network(activation = Act.DEFAULT) names no activation; choose one, such as Act.RELU");
      activation = Act.RELU;
      valid = false;
    }
    if (!(epsilon > 0)) {
      diagnostics.error(type, network, "epsilon", "@Network(epsilon = " + epsilon + ") must be positive");
      epsilon = DEFAULT_EPSILON;
      valid = false;
    }
    return new Defaults(new NetworkDefaults(activation, epsilon), valid);
  }

  /** {@code @Network(epsilon)}'s default. */
  private static final double DEFAULT_EPSILON = 1e-5;

  /** The image, or empty where {@code @Input} is invalid (reported). */
  private Optional<TensorShape> checkInput(Element type, Attributes network) {
    Attributes input = network.annotation("input");
    boolean valid = true;
    if (input.integer("channels") < 1) {
      diagnostics.error(type, network, "input",
          "@Input(channels = " + input.integer("channels") + ") must be at least 1");
      valid = false;
    }
    for (String side : List.of("height", "width")) {
      int value = input.integer(side);
      if (value == 0 || value < -1) {
        diagnostics.error(type, network, "input", "@Input(" + side + " = " + value
            + ") must be at least 1, or Input.DYNAMIC (-1) for a size known at run time");
        valid = false;
      }
    }
    if ((input.integer("height") == -1) != (input.integer("width") == -1)) {
      diagnostics.error(type, network, "input", "@Input has a fixed " + (input.integer("height") == -1 ? "width" : "height")
          + " but a dynamic " + (input.integer("height") == -1 ? "height" : "width")
          + "; make both fixed or both Input.DYNAMIC");
      valid = false;
    }
    return valid
        ? Optional.of(TensorShape.image(input.integer("channels"), input.integer("height"), input.integer("width")))
        : Optional.empty();
  }

  /** Whether {@code @Output}'s values are valid (else reported). */
  private boolean checkOutput(Element type, Attributes network) {
    Attributes output = network.annotation("output");
    boolean valid = true;
    int outputChannels = output.integer("channels");
    if (outputChannels == 0 || outputChannels < -1) {
      diagnostics.error(type, network, "output", "@Output(channels = " + outputChannels
          + ") must be at least 1, or -1 to leave the channels unchecked");
      valid = false;
    }
    int outputStride = output.integer("stride");
    if (outputStride < -1) {
      diagnostics.error(type, network, "output", "@Output(stride = " + outputStride
          + ") must be at least 1, 0 for a flat output, or -1 to leave the stride unchecked");
      valid = false;
    }
    return valid;
  }

  /** Stage names must give distinct constants and builder methods in the generated class. */
  private void checkNames(SpecDecl spec) {
    // A stage named like a method of NetworkGraph is reported by the reader; the rename that
    // fixes that fixes whatever its name clashes with here.
    List<StageDecl> named = spec.stages().stream()
        .filter(s -> !SpecReader.RESERVED_NAMES.contains(s.name())).toList();
    Map<String, String> constants = new HashMap<>();
    for (StageDecl stage : named) {
      String constant = Names.constant(stage.name());
      if (constant.equals("INPUT") || constant.equals("OUTPUT")) {
        diagnostics.error(stage.method(), "stage " + stage.name() + "() would generate "
            + constant + "_CHANNELS, which names the network's " + constant.toLowerCase()
            + "; rename the stage");
        continue;
      }
      String earlier = constants.putIfAbsent(constant, stage.name());
      if (earlier != null) {
        diagnostics.error(stage.method(), "stages " + earlier + "() and " + stage.name()
            + "() would both generate " + constant + "_CHANNELS; rename one of them");
      }
    }
    Set<String> fields = new HashSet<>(NetworkWriter.FIELDS);
    constants.keySet().forEach(c -> fields.addAll(List.of(c + "_CHANNELS", c + "_STRIDE")));
    for (StageDecl stage : named) {
      if (fields.contains(stage.name())) {
        diagnostics.error(stage.method(), "stage " + stage.name() + "() would clash with the field "
            + stage.name() + " that the generated class declares; rename the stage");
      }
    }
    for (StageDecl stage : named) {
      String builder = Names.builder(stage.name());
      named.stream().filter(s -> s.name().equals(builder)).findFirst().ifPresent(s ->
          diagnostics.error(s.method(), "stage " + s.name() + "() has the name of the method that"
              + " builds stage " + stage.name() + "(); rename it"));
    }
  }

  /** Formats a count with thousands separators, as messages show them. */
  static String count(long value) {
    return String.format(java.util.Locale.ROOT, "%,d", value);
  }
}
