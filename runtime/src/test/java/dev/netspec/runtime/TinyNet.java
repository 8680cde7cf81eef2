package dev.netspec.runtime;

import dev.netspec.runtime.layers.FamilyUnits;
import dev.netspec.runtime.layers.FanMode;
import dev.netspec.runtime.layers.Layers;
import dev.netspec.runtime.layers.Nonlinearity;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Written the way the processor generates a network class. */
public final class TinyNet implements NetworkGraph {
  public static final int INPUT_CHANNELS = 3;
  public static final int INPUT_HEIGHT = 8;
  public static final int INPUT_WIDTH = 8;
  public static final int MIN_INPUT_SIZE = 8;
  public static final int OUTPUT_CHANNELS = 2;
  public static final int OUTPUT_STRIDE = 0;
  public static final long PARAMETERS = 3 * 3 * 3 * 4 + 4 + 4 + 4 * 2 + 2;
  public static final long MACS = 3 * 3 * 3 * 4 * 16 + 4 * 2;
  public static final List<StageInfo> STAGES = List.of(
      new StageInfo("conv", "Conv", false, 4, 4, 4, 2, false, 3 * 3 * 3 * 4 + 8,
          3 * 3 * 3 * 4 * 16),
      new StageInfo("fc", "Classifier", true, 1, 1, 2, 0, true, 4 * 2 + 2, 4 * 2));
  public static final List<FeatureInfo> FEATURES = List.of(new FeatureInfo("conv", 4, 2));
  public static final NetworkDescriptor<TinyNet> DESCRIPTOR = new NetworkDescriptor<>(
      TinyNet.class, new InputShape(INPUT_CHANNELS, INPUT_HEIGHT, INPUT_WIDTH, MIN_INPUT_SIZE),
      OUTPUT_CHANNELS, OUTPUT_STRIDE, PARAMETERS, MACS, STAGES, FEATURES,
      TinyNet::build, TinyNet::build, TinyNet::stageOutput);

  private final Layers layers;
  private Operand<TFloat32> conv;
  private Operand<TFloat32> fc;
  private Operand<TFloat32> output;

  private TinyNet(Layers layers) {
    this.layers = layers;
  }

  public static TinyNet build(Ops tf, Operand<TFloat32> images, Mode mode) {
    return build(Layers.create(tf, mode), images, "fc");
  }

  public static TinyNet build(Layers layers, Operand<TFloat32> images, String lastStage) {
    TinyNet network = new TinyNet(layers.withDefaults(Nonlinearity.RELU, 1e-5f, FanMode.FAN_OUT));
    int last = StageInfo.indexOf(STAGES, lastStage);
    network.conv = FamilyUnits.convBnAct(network.layers.in("conv"), images, 4, 3, 2, 1, 1,
        Nonlinearity.RELU);
    network.output = network.conv;
    if (last >= 1) {
      network.fc = FamilyUnits.classifier(network.layers.in("fc"), network.conv, 2);
      network.output = network.fc;
    }
    return network;
  }

  private Operand<TFloat32> stageOutput(String stage) {
    return switch (stage) {
      case "conv" -> conv;
      case "fc" -> fc;
      default -> throw new IllegalArgumentException("no stage '" + stage + "'");
    };
  }

  public Operand<TFloat32> conv() {
    return conv;
  }

  @Override
  public Operand<TFloat32> output() {
    return output;
  }

  @Override
  public VariableStore variables() {
    return layers.store();
  }
}
