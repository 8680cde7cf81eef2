package com.example.consumer;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Residual;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A small CIFAR-sized ResNet, declared in a project of its own. */
@Network(name = "TinyClassifier", input = @Input(channels = 3, height = 32, width = 32))
@Expect(parameters = 43_290)
public interface TinyClassifierSpec {
  @Conv(channels = 16) Operand<TFloat32> stem();
  @Residual(block = Block.BASIC, blocks = 2, planes = 16) Operand<TFloat32> layer1();
  @Residual(block = Block.BASIC, blocks = 2, planes = 32, stride = 2) Operand<TFloat32> layer2();
  @BatchNorm(act = Act.RELU) Operand<TFloat32> norm();
  @Classifier(classes = 10) Operand<TFloat32> fc();
}
