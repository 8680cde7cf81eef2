package dev.netspec.examples;

import dev.netspec.annotations.Block;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Residual;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** One small network for 3, 1 and 6 image channels: weights of the first adapt to the others. */
final class ChannelSpecs {
  private ChannelSpecs() {}

  @Network(name = "RgbNet", input = @Input(channels = 3, height = 16, width = 16))
  interface RgbNetSpec {
    @Conv(channels = 8, kernel = 3, stride = 2) Operand<TFloat32> conv1();
    @Residual(block = Block.BASIC, blocks = 1, planes = 8) Operand<TFloat32> layer1();
    @Classifier(classes = 5) Operand<TFloat32> fc();
  }

  @Network(name = "GreyNet", input = @Input(channels = 1, height = 16, width = 16))
  interface GreyNetSpec {
    @Conv(channels = 8, kernel = 3, stride = 2) Operand<TFloat32> conv1();
    @Residual(block = Block.BASIC, blocks = 1, planes = 8) Operand<TFloat32> layer1();
    @Classifier(classes = 5) Operand<TFloat32> fc();
  }

  @Network(name = "SixChannelNet", input = @Input(channels = 6, height = 16, width = 16))
  interface SixChannelNetSpec {
    @Conv(channels = 8, kernel = 3, stride = 2) Operand<TFloat32> conv1();
    @Residual(block = Block.BASIC, blocks = 1, planes = 8) Operand<TFloat32> layer1();
    @Classifier(classes = 5) Operand<TFloat32> fc();
  }
}
