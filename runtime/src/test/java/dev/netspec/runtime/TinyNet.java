package dev.netspec.runtime;

import dev.netspec.runtime.layers.ClassifierHead;
import dev.netspec.runtime.layers.ConvUnit;
import dev.netspec.runtime.layers.FanMode;
import dev.netspec.runtime.layers.Layers;
import dev.netspec.runtime.layers.Nonlinearity;
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
  public static final java.util.List<StageInfo> STAGES = java.util.List.of(
      new StageInfo("conv", "Conv", 4, 4, 4, 2, false, 3 * 3 * 3 * 4 + 8, 3 * 3 * 3 * 4 * 16),
      new StageInfo("fc", "Classifier", 1, 1, 2, 0, true, 4 * 2 + 2, 4 * 2));
  public static final java.util.List<FeatureInfo> FEATURES = java.util.List.of(
      new FeatureInfo("conv", 4, 2));

  private final Operand<TFloat32> conv;
  private final Operand<TFloat32> fc;
  private final VariableStore variables;

  private TinyNet(Operand<TFloat32> conv, Operand<TFloat32> fc, VariableStore variables) {
    this.conv = conv;
    this.fc = fc;
    this.variables = variables;
  }

  public static TinyNet build(Ops tf, Operand<TFloat32> images, Mode mode) {
    Layers layers = Layers.create(tf, mode, Nonlinearity.RELU, 1e-5f, FanMode.FAN_OUT);
    Operand<TFloat32> conv = ConvUnit.of(4, 3).stride(2).apply(layers.in("conv"), images);
    Operand<TFloat32> fc = ClassifierHead.of(2).apply(layers.in("fc"), conv);
    return new TinyNet(conv, fc, layers.store());
  }

  public Operand<TFloat32> conv() {
    return conv;
  }

  @Override
  public Operand<TFloat32> output() {
    return fc;
  }

  @Override
  public VariableStore variables() {
    return variables;
  }
}
