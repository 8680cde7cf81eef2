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

/** {@link ShapesNet} with other widths and a fourth convolution: another network. */
public final class WiderNet implements NetworkGraph {
  public static final int INPUT_CHANNELS = 3;
  public static final int INPUT_HEIGHT = 32;
  public static final int INPUT_WIDTH = 32;
  public static final int MIN_INPUT_SIZE = 32;
  public static final int OUTPUT_CHANNELS = 10;
  public static final int OUTPUT_STRIDE = 0;
  public static final long PARAMETERS = 348 + 1_760 + 2_336 + 2_336 + 170;
  public static final long MACS = 82_944 + 110_592 + 36_864 + 36_864 + 160;
  public static final List<StageInfo> STAGES = List.of(
      new StageInfo("conv1", "Conv", false, 16, 16, 12, 2, false, 348, 82_944),
      new StageInfo("conv2", "Conv", false, 8, 8, 16, 4, false, 1_760, 110_592),
      new StageInfo("conv3", "Conv", false, 4, 4, 16, 8, false, 2_336, 36_864),
      new StageInfo("conv4", "Conv", false, 4, 4, 16, 8, false, 2_336, 36_864),
      new StageInfo("fc", "Classifier", true, 1, 1, 10, 0, true, 170, 160));
  public static final List<FeatureInfo> FEATURES = List.of(new FeatureInfo("conv1", 12, 2),
      new FeatureInfo("conv2", 16, 4), new FeatureInfo("conv4", 16, 8));
  public static final NetworkDescriptor<WiderNet> DESCRIPTOR = new NetworkDescriptor<>(
      WiderNet.class, new InputShape(INPUT_CHANNELS, INPUT_HEIGHT, INPUT_WIDTH, MIN_INPUT_SIZE),
      OUTPUT_CHANNELS, OUTPUT_STRIDE, PARAMETERS, MACS, STAGES, FEATURES,
      WiderNet::build, WiderNet::build, WiderNet::stageOutput);

  private final VariableStore variables;
  /** Each built stage's output, in order. */
  private final Map<String, Operand<TFloat32>> stages = new LinkedHashMap<>();
  private Operand<TFloat32> output;

  private WiderNet(VariableStore variables) {
    this.variables = variables;
  }

  public static WiderNet build(Ops tf, Operand<TFloat32> images, Mode mode) {
    return build(Layers.create(tf, mode), images, "fc");
  }

  public static WiderNet build(Layers layers, Operand<TFloat32> images, String lastStage) {
    WiderNet network = new WiderNet(layers.store());
    int last = StageInfo.indexOf(STAGES, lastStage);
    Operand<TFloat32> x = images;
    for (int i = 0; i <= last; i++) {
      StageInfo stage = STAGES.get(i);
      int stride = i < 3 ? 2 : 1;
      x = stage.flat() ? FamilyUnits.classifier(layers.in(stage.name()), x, 10)
          : FamilyUnits.convBnAct(layers.in(stage.name()), x, stage.channels(), 3, stride, 1, 1,
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
