package dev.netspec.examples.property;

import dev.netspec.annotations.Act;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the stages of one spec and keeps what the whole compilation needs: the sources of the
 * specs that {@code @Use} stages use, and the features and activations the specs exercise.
 */
final class SpecWriter {
  /** The package and imports of every spec source. */
  static final String HEADER = """
      package t;

      import dev.netspec.annotations.*;
      import org.tensorflow.Operand;
      import org.tensorflow.types.TFloat32;

      """;

  private final Act networkActivation;
  private final Set<Feature> features;
  private final Set<Act> activations;
  private final List<String> usedSources;
  /** The residual width of this spec's first {@code @DualPath} stage; 0 before one is written. */
  private int firstDualPathWidth;

  SpecWriter(Act networkActivation) {
    this(networkActivation, EnumSet.noneOf(Feature.class), EnumSet.noneOf(Act.class),
        new ArrayList<>());
  }

  private SpecWriter(Act networkActivation, Set<Feature> features, Set<Act> activations,
      List<String> usedSources) {
    this.networkActivation = networkActivation;
    this.features = features;
    this.activations = activations;
    this.usedSources = usedSources;
  }

  /** A writer for a spec that a {@code @Use} stage uses: its own activation, the same records. */
  SpecWriter forUsedSpec(Act activation) {
    return new SpecWriter(activation, features, activations, usedSources);
  }

  /**
   * Writes {@code draws} one after the other from {@code in}, naming each stage after its kind
   * and position; a draw that cannot follow its input is left out.
   */
  List<DeclaredStage> write(List<? extends StageDraw> draws, SpecShape in, int firstIndex) {
    List<DeclaredStage> declared = new ArrayList<>();
    SpecShape x = in;
    for (StageDraw draw : draws) {
      Optional<WrittenStage> stage = draw.write(x, this);
      if (stage.isPresent()) {
        declared.add(new DeclaredStage(draw.name() + (firstIndex + declared.size()), stage.get()));
        x = stage.get().output();
      }
    }
    return declared;
  }

  void cover(Feature feature) {
    features.add(feature);
  }

  void coverIf(boolean condition, Feature feature) {
    if (condition) {
      features.add(feature);
    }
  }

  /** Records the activation a stage applies: {@code act}, or the network's for the default. */
  void activation(Act act) {
    activations.add(act == Act.DEFAULT ? networkActivation : act);
  }

  /**
   * The residual width of this spec's first {@code @DualPath} stage, to which every one's k_R
   * refers: {@code width} itself for the first.
   */
  int firstDualPathWidth(int width) {
    if (firstDualPathWidth == 0) {
      firstDualPathWidth = width;
    }
    return firstDualPathWidth;
  }

  /** Adds the source of a used spec and returns its interface's name. */
  String addUsedSpec(String networkAnnotation, List<DeclaredStage> stages) {
    String name = "Used" + usedSources.size() + "Spec";
    usedSources.add(source(networkAnnotation, name, stages));
    return name;
  }

  Set<Feature> features() {
    return Set.copyOf(features);
  }

  Set<Act> activations() {
    return Set.copyOf(activations);
  }

  List<String> usedSources() {
    return List.copyOf(usedSources);
  }

  /** The source of a spec interface in package {@code t}. */
  static String source(String networkAnnotation, String name, List<DeclaredStage> stages) {
    StringBuilder source = new StringBuilder(HEADER).append(networkAnnotation).append('\n')
        .append("public interface ").append(name).append(" {\n");
    stages.forEach(stage -> source.append(stage.line()).append('\n'));
    return source.append("}\n").toString();
  }
}
