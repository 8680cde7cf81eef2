package dev.netspec.processor.check;

import dev.netspec.annotations.Act;
import dev.netspec.processor.model.MinimumInput;
import dev.netspec.processor.model.NamedStage;
import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.model.Problem;
import dev.netspec.processor.model.Stage;
import dev.netspec.processor.model.TensorShape;
import dev.netspec.processor.model.Walk;
import dev.netspec.processor.read.Attributes;
import dev.netspec.processor.read.DeclarationOrder;
import dev.netspec.processor.read.GeneratedNames;
import dev.netspec.processor.read.NetworkDefaults;
import dev.netspec.processor.read.SpecDecl;
import dev.netspec.processor.read.StageDecl;
import dev.netspec.processor.read.StageFactory;
import dev.netspec.processor.write.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  public Optional<NetworkModel> check(SpecDecl spec) {
    int before = diagnostics.errorCount();
    Element type = spec.spec();
    Attributes network = spec.network();
    Attributes input = network.annotation("input");
    checkNetwork(type, network, input);
    checkNames(spec);
    if (diagnostics.errorCount() > before) {
      return Optional.empty();
    }
    NetworkDefaults defaults = NetworkDefaults.of(network);
    StageFactory factory = new StageFactory(elements, order, spec.spec());
    List<NamedStage> stages = new ArrayList<>();
    for (StageDecl decl : spec.stages()) {
      List<Problem> problems = new ArrayList<>();
      Optional<Stage> stage = factory.create(decl, defaults, problems);
      report(decl, problems);
      stage.ifPresent(s -> stages.add(new NamedStage(decl.name(), s)));
    }
    if (diagnostics.errorCount() > before) {
      return Optional.empty();
    }
    TensorShape image = TensorShape.image(
        input.integer("channels"), input.integer("height"), input.integer("width"));
    Walk walk = Walk.of(stages, image);
    if (!walk.ok()) {
      report(spec.stages().get(walk.failedStage()), walk.problems());
      return Optional.empty();
    }
    NetworkModel model = new NetworkModel(
        elements.getPackageOf(type).getQualifiedName().toString(),
        GeneratedNames.className(spec.spec(), network), Names.referenceFromPackage(spec.spec()),
        image, walk.stages(), defaults.activation(), defaults.epsilon(),
        image.fixed() ? Math.min(image.height(), image.width()) : MinimumInput.side(stages, image.channels()));
    new ContractChecker(diagnostics).check(spec, model);
    return diagnostics.errorCount() > before ? Optional.empty() : Optional.of(model);
  }

  /** Each problem on its annotation: the stage annotation, or the modifier it names. */
  private void report(StageDecl decl, List<Problem> problems) {
    for (Problem problem : problems) {
      Attributes annotation = problem.modifier() == null ? decl.attributes()
          : decl.modifiers().stream()
              .filter(m -> m.kind().label().equals("@" + problem.modifier()))
              .map(StageDecl.ModifierDecl::attributes)
              .findFirst()
              .orElse(decl.attributes());
      diagnostics.error(decl.method(), annotation, problem.attribute(), problem.message());
    }
  }

  private void checkNetwork(Element type, Attributes network, Attributes input) {
    String name = network.string("name");
    if (!name.isEmpty() && (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name))) {
      diagnostics.error(type, network, "name", "@Network(name = \"" + name
          + "\") must be a Java class name, such as \"ResNet50\"");
    }
    if (name.equals(type.getSimpleName().toString())) {
      diagnostics.error(type, network, "name", "@Network(name = \"" + name + "\") is the spec's own"
          + " name; the generated class needs another, such as \"" + name + "Graph\"");
    }
    if (network.enumValue("activation", Act.class) == Act.DEFAULT) {
      diagnostics.error(type, network, "activation",
          "@Network(activation = Act.DEFAULT) names no activation; choose one, such as Act.RELU");
    }
    double epsilon = network.real("epsilon");
    if (!(epsilon > 0)) {
      diagnostics.error(type, network, "epsilon", "@Network(epsilon = " + epsilon + ") must be positive");
    }
    if (input.integer("channels") < 1) {
      diagnostics.error(type, network, "input",
          "@Input(channels = " + input.integer("channels") + ") must be at least 1");
    }
    for (String side : List.of("height", "width")) {
      int value = input.integer(side);
      if (value == 0 || value < -1) {
        diagnostics.error(type, network, "input", "@Input(" + side + " = " + value
            + ") must be at least 1, or Input.DYNAMIC (-1) for a size known at run time");
      }
    }
    Attributes output = network.annotation("output");
    int outputChannels = output.integer("channels");
    if (outputChannels == 0 || outputChannels < -1) {
      diagnostics.error(type, network, "output", "@Output(channels = " + outputChannels
          + ") must be at least 1, or -1 to leave the channels unchecked");
    }
    int outputStride = output.integer("stride");
    if (outputStride < -1) {
      diagnostics.error(type, network, "output", "@Output(stride = " + outputStride
          + ") must be at least 1, 0 for a flat output, or -1 to leave the stride unchecked");
    }
    if ((input.integer("height") == -1) != (input.integer("width") == -1)) {
      diagnostics.error(type, network, "input", "@Input has a fixed " + (input.integer("height") == -1 ? "width" : "height")
          + " but a dynamic " + (input.integer("height") == -1 ? "height" : "width")
          + "; make both fixed or both Input.DYNAMIC");
    }
  }

  /** Stage names must give distinct constants and builder methods in the generated class. */
  private void checkNames(SpecDecl spec) {
    Map<String, String> constants = new HashMap<>();
    for (StageDecl stage : spec.stages()) {
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
    // The fields the generated class declares besides one per stage.
    Set<String> fields = new HashSet<>(List.of("layers", "STAGES", "INPUT_CHANNELS", "INPUT_HEIGHT",
        "INPUT_WIDTH", "OUTPUT_CHANNELS", "OUTPUT_STRIDE", "PARAMETERS", "MACS"));
    constants.keySet().forEach(c -> fields.addAll(List.of(c + "_CHANNELS", c + "_STRIDE")));
    for (StageDecl stage : spec.stages()) {
      if (fields.contains(stage.name())) {
        diagnostics.error(stage.method(), "stage " + stage.name() + "() would clash with the field "
            + stage.name() + " that the generated class declares; rename the stage");
      }
    }
    for (StageDecl stage : spec.stages()) {
      String builder = Names.builder(stage.name());
      spec.stages().stream().filter(s -> s.name().equals(builder)).findFirst().ifPresent(s ->
          diagnostics.error(s.method(), "stage " + s.name() + "() has the name of the method that"
              + " builds stage " + stage.name() + "(); rename it"));
    }
  }

  /** Formats a count with thousands separators, as messages show them. */
  static String count(long value) {
    return String.format(java.util.Locale.ROOT, "%,d", value);
  }
}
