package dev.netspec.runtime.train;

import dev.netspec.runtime.FeatureInfo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.StageInfo;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.layers.ClassifierHead;
import dev.netspec.runtime.layers.ConvUnit;
import dev.netspec.runtime.layers.Layers;
import java.util.List;
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
      new StageInfo("conv1", "Conv", 16, 16, 16, 2, false, 464, 110_592),
      new StageInfo("conv2", "Conv", 8, 8, 32, 4, false, 4_672, 294_912),
      new StageInfo("conv3", "Conv", 4, 4, 48, 8, false, 13_920, 221_184),
      new StageInfo("fc", "Classifier", 1, 1, 10, 0, true, 490, 480));
  public static final List<FeatureInfo> FEATURES = List.of(new FeatureInfo("conv1", 16, 2),
      new FeatureInfo("conv2", 32, 4), new FeatureInfo("conv3", 48, 8));

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
