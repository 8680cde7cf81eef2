package dev.netspec.runtime;

import dev.netspec.runtime.layers.FamilyUnits;
import dev.netspec.runtime.layers.FanMode;
import dev.netspec.runtime.layers.Layers;
import dev.netspec.runtime.layers.Nonlinearity;
import dev.netspec.runtime.layers.Pooling;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** A network whose input size is known only at run time. */
public final class DynamicNet implements NetworkGraph {
  public static final int INPUT_CHANNELS = 1;
  public static final int INPUT_HEIGHT = -1;
  public static final int INPUT_WIDTH = -1;
  public static final int MIN_INPUT_SIZE = 1;
  public static final int OUTPUT_CHANNELS = 5;
  public static final int OUTPUT_STRIDE = 0;
  public static final long PARAMETERS = 3 * 3 * 4 + 4 * 2 + 4 + 4 * 5 + 5;
  public static final long MACS = -1;
  public static final List<StageInfo> STAGES = List.of(
      new StageInfo("conv", "Conv", false, -1, -1, 4, 1, false, 3 * 3 * 4 + 4 * 2 + 4, -1),
      new StageInfo("pool", "Pool", false, -1, -1, 4, 2, false, 0, -1),
      new StageInfo("fc", "Classifier", true, 1, 1, 5, 0, true, 4 * 5 + 5, -1));
  public static final List<FeatureInfo> FEATURES = List.of(new FeatureInfo("conv", 4, 1),
      new FeatureInfo("pool", 4, 2));
  public static final NetworkDescriptor<DynamicNet> DESCRIPTOR = new NetworkDescriptor<>(
      DynamicNet.class, new InputShape(INPUT_CHANNELS, INPUT_HEIGHT, INPUT_WIDTH, MIN_INPUT_SIZE),
      OUTPUT_CHANNELS, OUTPUT_STRIDE, PARAMETERS, MACS, STAGES, FEATURES,
      DynamicNet::build, DynamicNet::build, DynamicNet::stageOutput);

  private final Layers layers;
  private Operand<TFloat32> conv;
  private Operand<TFloat32> pool;
  private Operand<TFloat32> fc;
  private Operand<TFloat32> output;

  private DynamicNet(Layers layers) {
    this.layers = layers;
  }

  public static DynamicNet build(Ops tf, Operand<TFloat32> images, Mode mode) {
    return build(Layers.create(tf, mode), images, "fc");
  }

  public static DynamicNet build(Layers layers, Operand<TFloat32> images, String lastStage) {
    DynamicNet network = new DynamicNet(layers.withDefaults(Nonlinearity.SILU, 1e-3f,
        FanMode.FAN_IN));
    Layers scope = network.layers;
    int last = StageInfo.indexOf(STAGES, lastStage);
    network.output = network.conv = FamilyUnits.convBnAct(scope.in("conv"), images, 4, 3, 1, 2, 1,
        scope.activation());
    if (last >= 1) {
      network.output = network.pool = scope.in("pool").pool(network.conv, Pooling.AVG, 3, 2, 1,
          true);
    }
    if (last >= 2) {
      network.output = network.fc = FamilyUnits.classifier(scope.in("fc"), network.pool, 5);
    }
    return network;
  }

  private Operand<TFloat32> stageOutput(String stage) {
    return switch (stage) {
      case "conv" -> conv;
      case "pool" -> pool;
      case "fc" -> fc;
      default -> throw new IllegalArgumentException("no stage '" + stage + "'");
    };
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
