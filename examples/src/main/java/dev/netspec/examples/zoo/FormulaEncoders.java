package dev.netspec.examples.zoo;

import dev.netspec.annotations.Conv;
import dev.netspec.annotations.DenseBlock;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.Output;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Residual;
import dev.netspec.annotations.Transition;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Encoders of a handwritten-formula recognizer (attention decoders of the WAP/DWAP kind read
 * their output): one grey channel of any size in, 684 channels at stride 16 out. The two are
 * interchangeable because both state the same {@code @Output} contract, which javac checks.
 */
public final class FormulaEncoders {
  private FormulaEncoders() {}

  /**
   * The DenseNet-B encoder: a bare 7×7 stride-2 convolution, a 2×2 max pool in ceil mode, three
   * blocks of 16 bottleneck layers (growth 24, conv-BN-ReLU, dropout 0.2), transitions with
   * ceil-mode average pools: 48 + 3 × 384 channels, halved twice, make 684.
   */
  @Network(name = "DenseNetBEncoder", input = @Input(channels = 1),
      output = @Output(channels = 684, stride = 16))
  @Expect(parameters = 2_979_288)
  public interface DenseNetBEncoderSpec {
    @Conv(channels = 48, kernel = 7, stride = 2, norm = Norm.NONE) Operand<TFloat32> conv0();
    @Pool(kind = PoolKind.MAX, kernel = 2, ceil = true) Operand<TFloat32> pool0();
    @DenseBlock(growth = 24, layers = 16, dropout = 0.2, order = Order.CONV_NORM_ACT)
    Operand<TFloat32> denseblock1();
    @Transition(order = Order.CONV_NORM_ACT, dropout = 0.2, ceil = true) Operand<TFloat32> transition1();
    @DenseBlock(growth = 24, layers = 16, dropout = 0.2, order = Order.CONV_NORM_ACT)
    Operand<TFloat32> denseblock2();
    @Transition(order = Order.CONV_NORM_ACT, dropout = 0.2, ceil = true) Operand<TFloat32> transition2();
    @DenseBlock(growth = 24, layers = 16, dropout = 0.2, order = Order.CONV_NORM_ACT)
    Operand<TFloat32> denseblock3();
  }

  /**
   * ResNet-50 made to meet the same contract: one grey channel, stride 1 in {@code layer2} (so
   * stride 16, not 32, at the end), dropout 0.2 after every bottleneck, and a 1×1 convolution
   * with BatchNorm to 684 channels: torchvision's ResNet-50 without its classifier (23,501,760
   * parameters with a one-channel stem) plus 1,402,200 for the reduction.
   */
  @Network(name = "ResNet50Encoder", input = @Input(channels = 1),
      output = @Output(channels = 684, stride = 16))
  @Expect(parameters = 24_903_960)
  public interface ResNet50EncoderSpec {
    @Conv(channels = 64, kernel = 7, stride = 2) Operand<TFloat32> conv1();
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 2, padding = 1) Operand<TFloat32> maxpool();
    @Residual(blocks = 3, planes = 64, dropout = 0.2) Operand<TFloat32> layer1();
    @Residual(blocks = 4, planes = 128, stride = 1, dropout = 0.2) Operand<TFloat32> layer2();
    @Residual(blocks = 6, planes = 256, stride = 2, dropout = 0.2) Operand<TFloat32> layer3();
    @Residual(blocks = 3, planes = 512, stride = 2, dropout = 0.2) Operand<TFloat32> layer4();
    @Conv(channels = 684, kernel = 1) Operand<TFloat32> reduce();
  }
}
