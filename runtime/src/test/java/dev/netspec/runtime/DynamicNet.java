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
