package t;

import dev.netspec.annotations.*;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Every setting of {@code @Conv}, {@code @Pool}, {@code @BatchNorm} and {@code @Activation} the
 * writer spells out, on an input of any size, with the network's own activation (ELU) and epsilon;
 * stages named like the parameters of the generated methods (images, last, x).
 */
@Network(input = @Input(channels = 1), activation = Act.ELU, epsilon = 1e-3)
public interface ConvUnitsSpec {
  @Conv(channels = 16) Operand<TFloat32> images();
  @Conv(channels = 16, stride = 2, padding = 2, dilation = 2) Operand<TFloat32> dilated();
  @Conv(channels = 32, kernel = 1, groups = 4, bias = true, norm = Norm.NONE, act = Act.NONE)
  Operand<TFloat32> grouped();
  @Conv(channels = 32, act = Act.RELU, order = Order.NORM_ACT_CONV) Operand<TFloat32> preActConv();
  @Pool Operand<TFloat32> last();
  @Pool(kind = PoolKind.AVG, kernel = 3, stride = 1, padding = 1, ceil = true) Operand<TFloat32> avgPool3x3();
  @BatchNorm Operand<TFloat32> bn();
  @BatchNorm(epsilon = 1e-5, momentum = 0.01, act = Act.PRELU) Operand<TFloat32> bnPReLU();
  @Activation Operand<TFloat32> act();
  @Activation(Act.SIGMOID) Operand<TFloat32> gate();
  @Activation(Act.NONE) Operand<TFloat32> identity();
  @GlobalPool(PoolKind.MAX) Operand<TFloat32> x();
}
