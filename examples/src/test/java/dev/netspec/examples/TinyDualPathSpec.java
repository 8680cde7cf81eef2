package dev.netspec.examples;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.DualPath;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.SqueezeExcite;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A small DPN ('proj' and 'down' stages, one with squeeze-excite), for tests that train. */
@Network(name = "TinyDualPath", epsilon = 1e-3, input = @Input(channels = 3, height = 16, width = 16))
interface TinyDualPathSpec {
  @Conv(channels = 16) Operand<TFloat32> stem();
  @DualPath(blocks = 2, width = 32, inc = 8, kR = 8, G = 4) Operand<TFloat32> proj();
  @SqueezeExcite(reduction = 4)
  @DualPath(blocks = 2, width = 64, inc = 8, kR = 8, G = 4, stride = 2) Operand<TFloat32> down();
  @BatchNorm(act = Act.RELU) Operand<TFloat32> norm();
  @Classifier(classes = 4) Operand<TFloat32> head();
}
