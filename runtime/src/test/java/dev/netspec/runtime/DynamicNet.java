package dev.netspec.runtime;

import dev.netspec.runtime.layers.ClassifierHead;
import dev.netspec.runtime.layers.ConvUnit;
import dev.netspec.runtime.layers.FanMode;
import dev.netspec.runtime.layers.Layers;
import dev.netspec.runtime.layers.Nonlinearity;
import dev.netspec.runtime.layers.Pooling;
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
  public static final java.util.List<StageInfo> STAGES = java.util.List.of();
  public static final java.util.List<FeatureInfo> FEATURES = java.util.List.of();

  private final Operand<TFloat32> output;
  private final VariableStore variables;

  private DynamicNet(Operand<TFloat32> output, VariableStore variables) {
    this.output = output;
    this.variables = variables;
  }

  public static DynamicNet build(Ops tf, Operand<TFloat32> images, Mode mode) {
    Layers layers = Layers.create(tf, mode, Nonlinearity.SILU, 1e-3f, FanMode.FAN_IN);
    Operand<TFloat32> x = ConvUnit.of(4, 3).dilation(2).apply(layers.in("conv"), images);
    x = layers.in("pool").pool(x, Pooling.AVG, 3, 2, 1, true);
    return new DynamicNet(ClassifierHead.of(5).apply(layers.in("fc"), x), layers.store());
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
