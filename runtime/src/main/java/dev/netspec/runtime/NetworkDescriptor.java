package dev.netspec.runtime;

import dev.netspec.runtime.layers.Layers;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What a generated network class states about itself, typed: its input and output, parameters
 * and MACs, its stages and feature maps, and how to build it. A generated class {@code G}
 * declares its own as {@code G.DESCRIPTOR}, from the same numbers as its constants; {@link
 * Model#create(NetworkDescriptor, Mode, long)} takes it.
 *
 * @param type the generated class
 * @param outputChannels the last dimension of the output
 * @param outputStride input side / output side; 0 once the output is flat
 * @param parameters trainable parameters, as PyTorch counts them for the same network
 * @param macs multiply-accumulates for one image at the declared size; -1 when it is dynamic
 * @param stages every stage, in order
 * @param features the stages that yield a feature map, with their channels and stride
 * @param builder the class's {@code build(Ops, Operand, Mode)}: the whole network
 * @param stagesBuilder the class's {@code build(Layers, Operand, String)}: the stages up to one,
 *     in layers the caller configures
 * @param stageOutputs a built network's output of a stage, by name; null if not built
 */
public record NetworkDescriptor<G extends NetworkGraph>(
    Class<G> type, InputShape input, int outputChannels, int outputStride, long parameters,
    long macs, List<StageInfo> stages, List<FeatureInfo> features, Model.Builder<G> builder,
    StagesBuilder<G> stagesBuilder, StageOutputs<G> stageOutputs) {

  /** The name of the static field a generated class declares its descriptor in. */
  public static final String FIELD = "DESCRIPTOR";

  /** Builds the stages up to and including {@code lastStage} in {@code layers}. */
  @FunctionalInterface
  public interface StagesBuilder<G extends NetworkGraph> {
    G build(Layers layers, Operand<TFloat32> images, String lastStage);
  }

  /** The output of the stage called {@code stage} in a built network; null if not built. */
  @FunctionalInterface
  public interface StageOutputs<G extends NetworkGraph> {
    Operand<TFloat32> output(G network, String stage);
  }

  public NetworkDescriptor {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(input, "input");
    stages = List.copyOf(stages);
    features = List.copyOf(features);
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(stagesBuilder, "stagesBuilder");
    Objects.requireNonNull(stageOutputs, "stageOutputs");
    if (stages.isEmpty()) {
      throw new IllegalArgumentException(type.getName() + " has no stages");
    }
  }

  /**
   * The descriptor that the generated class {@code type} declares in {@link #FIELD}: where a
   * class is all a caller has (a name on a command line, a raw class).
   *
   * @throws IllegalArgumentException if {@code type} is not a generated network class
   */
  public static <G extends NetworkGraph> NetworkDescriptor<G> of(Class<G> type) {
    Objects.requireNonNull(type, "type");
    Object declared = null;
    try {
      Field field = type.getField(FIELD);
      if (Modifier.isStatic(field.getModifiers())) {
        declared = field.get(null);
      }
    } catch (NoSuchFieldException | IllegalAccessException e) {
      // not a generated class: said below
    }
    if (declared instanceof NetworkDescriptor<?> descriptor && descriptor.type() == type) {
      @SuppressWarnings("unchecked") // it describes type, which is Class<G>
      NetworkDescriptor<G> typed = (NetworkDescriptor<G>) descriptor;
      return typed;
    }
    throw new IllegalArgumentException(type.getName() + " is not a generated network class: it "
        + "declares no public static NetworkDescriptor<" + type.getSimpleName() + "> " + FIELD
        + "; give a class generated from a @Network spec");
  }

  /** The generated class's simple name: "ResNet50". */
  public String name() {
    return type.getSimpleName();
  }

  /** The last stage: the one whose output is the network's. */
  public StageInfo lastStage() {
    return stages.get(stages.size() - 1);
  }

  /**
   * The head: the last stage that ends in a fully connected layer (a {@code @Classifier}, a
   * {@code @Dense}) and every stage after it; empty where no stage does. It is what fine-tuning
   * replaces when the classes change and what a weight import may leave out.
   */
  public List<StageInfo> head() {
    for (int i = stages.size() - 1; i >= 0; i--) {
      if (stages.get(i).linear()) {
        return stages.subList(i, stages.size());
      }
    }
    return List.of();
  }

  /** Builds the whole network into {@code tf}'s graph. */
  public G build(Ops tf, Operand<TFloat32> images, Mode mode) {
    return builder.build(tf, images, mode);
  }

  /** Builds the stages up to and including {@code lastStage} in {@code layers}. */
  public G build(Layers layers, Operand<TFloat32> images, String lastStage) {
    return stagesBuilder.build(layers, images, lastStage);
  }

  /**
   * The output of the stage called {@code stage} in {@code network}.
   *
   * @throws IllegalArgumentException if there is no such stage, or the build stopped before it
   */
  public Operand<TFloat32> stageOutput(G network, String stage) {
    StageInfo.indexOf(stages, stage);
    Operand<TFloat32> output = stageOutputs.output(network, stage);
    if (output == null) {
      throw new IllegalArgumentException("stage '" + stage + "' of " + name()
          + " was not built: the build stopped before it");
    }
    return output;
  }

  @Override
  public String toString() {
    return "NetworkDescriptor[" + type.getName() + "]";
  }
}
