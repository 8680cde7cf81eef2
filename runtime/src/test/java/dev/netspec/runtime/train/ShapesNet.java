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

/**
 * A tiny 10-class classifier of 32×32 images with BatchNorm and dropout, written the way the
 * processor generates a network class.
 */
public final class ShapesNet implements NetworkGraph {
  public static final int INPUT_CHANNELS = 3;
  public static final int INPUT_HEIGHT = 32;
  public static final int INPUT_WIDTH = 32;

  private final Operand<TFloat32> output;
  private final VariableStore variables;

  private ShapesNet(Operand<TFloat32> output, VariableStore variables) {
    this.output = output;
    this.variables = variables;
  }

  public static ShapesNet build(Ops tf, Operand<TFloat32> images, Mode mode) {
    Layers layers = Layers.create(tf, mode);
    Operand<TFloat32> x = ConvUnit.of(16, 3).stride(2).apply(layers.in("conv1"), images);
    x = ConvUnit.of(32, 3).stride(2).apply(layers.in("conv2"), x);
    x = ConvUnit.of(48, 3).stride(2).apply(layers.in("conv3"), x);
    x = ClassifierHead.of(10).dropout(0.1f).apply(layers.in("fc"), x);
    return new ShapesNet(x, layers.store());
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
