package dev.netspec.examples;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.DenseBlock;
import dev.netspec.annotations.Dropout;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Residual;
import dev.netspec.annotations.Transition;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A small network with every kind of block, for tests that train. */
@Network(name = "TinyNet", input = @Input(channels = 3, height = 16, width = 16))
interface TinyNetSpec {
  @Conv(channels = 16) Operand<TFloat32> stem();
  @Residual(block = Block.BASIC, blocks = 1, planes = 16) Operand<TFloat32> basic();
  @Residual(blocks = 2, planes = 8, stride = 2, groups = 2, baseWidth = 32) Operand<TFloat32> bottleneck();
  @DenseBlock(growth = 8, layers = 2) Operand<TFloat32> dense();
  @Transition Operand<TFloat32> transition();
  @Residual(block = Block.BASIC, blocks = 1, planes = 16, preact = true) Operand<TFloat32> preact();
  @BatchNorm(act = Act.RELU) Operand<TFloat32> norm();
  @Dropout(rate = 0.1) Operand<TFloat32> drop();
  @Classifier(classes = 4) Operand<TFloat32> head();
}
