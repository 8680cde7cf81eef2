package dev.netspec.runtime.train;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.layers.ClassifierHead;
import dev.netspec.runtime.layers.ConvUnit;
import dev.netspec.runtime.layers.Layers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@link ShapesNet} with other widths and a fourth convolution: another network. */
public final class WiderNet implements NetworkGraph {
  public static final int INPUT_CHANNELS = 3;
  public static final int INPUT_HEIGHT = 32;
  public static final int INPUT_WIDTH = 32;

  private final Operand<TFloat32> output;
  private final VariableStore variables;

  private WiderNet(Operand<TFloat32> output, VariableStore variables) {
    this.output = output;
    this.variables = variables;
  }

  public static WiderNet build(Ops tf, Operand<TFloat32> images, Mode mode) {
    Layers layers = Layers.create(tf, mode);
    Operand<TFloat32> x = ConvUnit.of(12, 3).stride(2).apply(layers.in("conv1"), images);
    x = ConvUnit.of(16, 3).stride(2).apply(layers.in("conv2"), x);
    x = ConvUnit.of(16, 3).stride(2).apply(layers.in("conv3"), x);
    x = ConvUnit.of(16, 3).apply(layers.in("conv4"), x);
    x = ClassifierHead.of(10).apply(layers.in("fc"), x);
    return new WiderNet(x, layers.store());
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
