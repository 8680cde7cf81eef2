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
      new StageInfo("conv1", "Conv", 16, 16, 12, 2, false, 348, 82_944),
      new StageInfo("conv2", "Conv", 8, 8, 16, 4, false, 1_760, 110_592),
      new StageInfo("conv3", "Conv", 4, 4, 16, 8, false, 2_336, 36_864),
      new StageInfo("conv4", "Conv", 4, 4, 16, 8, false, 2_336, 36_864),
      new StageInfo("fc", "Classifier", 1, 1, 10, 0, true, 170, 160));
  public static final List<FeatureInfo> FEATURES = List.of(new FeatureInfo("conv1", 12, 2),
      new FeatureInfo("conv2", 16, 4), new FeatureInfo("conv4", 16, 8));

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
