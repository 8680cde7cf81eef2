package dev.netspec.runtime.train;

import dev.netspec.runtime.FeatureInfo;
import dev.netspec.runtime.InputShape;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.StageInfo;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.layers.FamilyUnits;
import dev.netspec.runtime.layers.Layers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A tiny 10-class classifier of 32×32 images with BatchNorm and dropout, written the way the
 * processor generates a network class.
 */
public final class ShapesNet implements NetworkGraph {
  public static final int INPUT_CHANNELS = 3;
  public static final int INPUT_HEIGHT = 32;
  public static final int INPUT_WIDTH = 32;
  public static final int MIN_INPUT_SIZE = 32;
  public static final int OUTPUT_CHANNELS = 10;
  public static final int OUTPUT_STRIDE = 0;
  public static final long PARAMETERS = 464 + 4_672 + 13_920 + 490;
  public static final long MACS = 110_592 + 294_912 + 221_184 + 480;
  public static final List<StageInfo> STAGES = List.of(
      new StageInfo("conv1", "Conv", false, 16, 16, 16, 2, false, 464, 110_592),
      new StageInfo("conv2", "Conv", false, 8, 8, 32, 4, false, 4_672, 294_912),
      new StageInfo("conv3", "Conv", false, 4, 4, 48, 8, false, 13_920, 221_184),
      new StageInfo("fc", "Classifier", true, 1, 1, 10, 0, true, 490, 480));
  public static final List<FeatureInfo> FEATURES = List.of(new FeatureInfo("conv1", 16, 2),
      new FeatureInfo("conv2", 32, 4), new FeatureInfo("conv3", 48, 8));
  public static final NetworkDescriptor<ShapesNet> DESCRIPTOR = new NetworkDescriptor<>(
      ShapesNet.class, new InputShape(INPUT_CHANNELS, INPUT_HEIGHT, INPUT_WIDTH, MIN_INPUT_SIZE),
      OUTPUT_CHANNELS, OUTPUT_STRIDE, PARAMETERS, MACS, STAGES, FEATURES,
      ShapesNet::build, ShapesNet::build, ShapesNet::stageOutput);

  private final VariableStore variables;
  /** Each built stage's output, in order. */
  private final Map<String, Operand<TFloat32>> stages = new LinkedHashMap<>();
  private Operand<TFloat32> output;

  private ShapesNet(VariableStore variables) {
    this.variables = variables;
  }

  /** The same network with a classifier for {@code classes} classes: a fine-tuning target. */
  public static NetworkDescriptor<ShapesNet> withClasses(int classes) {
    List<StageInfo> stages = List.of(STAGES.get(0), STAGES.get(1), STAGES.get(2),
        new StageInfo("fc", "Classifier", true, 1, 1, classes, 0, true, 49L * classes,
            48L * classes));
    return new NetworkDescriptor<>(ShapesNet.class, DESCRIPTOR.input(), classes, 0,
        PARAMETERS - 490 + 49L * classes, MACS - 480 + 48L * classes, stages, FEATURES,
        (tf, images, mode) -> build(Layers.create(tf, mode), images, "fc", classes),
        (layers, images, last) -> build(layers, images, last, classes), ShapesNet::stageOutput);
  }

  public static ShapesNet build(Ops tf, Operand<TFloat32> images, Mode mode) {
    return build(Layers.create(tf, mode), images, "fc");
  }

  public static ShapesNet build(Layers layers, Operand<TFloat32> images, String lastStage) {
    return build(layers, images, lastStage, OUTPUT_CHANNELS);
  }

  private static ShapesNet build(Layers layers, Operand<TFloat32> images, String lastStage,
      int classes) {
    ShapesNet network = new ShapesNet(layers.store());
    int last = StageInfo.indexOf(STAGES, lastStage);
    Operand<TFloat32> x = images;
    for (int i = 0; i <= last; i++) {
      StageInfo stage = STAGES.get(i);
      x = stage.flat() ? FamilyUnits.classifier(layers.in(stage.name()), x, classes, 0.1f)
          : FamilyUnits.convBnAct(layers.in(stage.name()), x, stage.channels(), 3, 2, 1, 1,
              layers.activation());
      network.stages.put(stage.name(), x);
    }
    network.output = x;
    return network;
  }

  private Operand<TFloat32> stageOutput(String stage) {
    return stages.get(stage);
  }

  @Override
  public Operand<TFloat32> output() {
    return output;
  }

  @Override
  public VariableStore variables() {
    return variables;
  }
}
