package com.example.consumer;

import dev.netspec.annotations.BlockSpec;
import dev.netspec.annotations.Branch;
import dev.netspec.annotations.Branches;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Join;
import dev.netspec.annotations.Let;
import dev.netspec.annotations.Norm;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * SqueezeNet's fire module, declared in a project of its own: a 1×1 squeeze, then a 1×1 and a
 * 3×3 expansion side by side, concatenated. Convolutions with bias and ReLU, no BatchNorm.
 */
@BlockSpec(parameters = {"squeeze", "expand"})
public interface Fire {
  @Conv(channels = Let.BOUND, kernel = 1, norm = Norm.NONE, bias = true)
  @Let(channels = "squeeze")
  Operand<TFloat32> squeeze();

  @Branches(value = {
      @Branch(block = Expansion.class, with = {"out = expand", "kernel = 1"}),
      @Branch(block = Expansion.class, with = {"out = expand", "kernel = 3"})},
      join = Join.CONCAT)
  Operand<TFloat32> expand();

  /** One expansion: a convolution with bias and ReLU, padded to keep the size. */
  @BlockSpec(parameters = {"out", "kernel"})
  interface Expansion {
    @Conv(channels = Let.BOUND, norm = Norm.NONE, bias = true)
    @Let(channels = "out", kernel = "kernel")
    Operand<TFloat32> conv();
  }
}
