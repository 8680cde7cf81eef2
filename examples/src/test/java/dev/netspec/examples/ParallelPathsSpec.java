package dev.netspec.examples;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BlockSpec;
import dev.netspec.annotations.Branch;
import dev.netspec.annotations.Branches;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Join;
import dev.netspec.annotations.Let;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Norm;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Paths that are linear maps, so that the joined output can be computed by hand from the
 * weights: two 1×1 convolutions added, then two concatenated.
 */
@Network(name = "ParallelPaths", input = @Input(channels = 2, height = 3, width = 3))
interface ParallelPathsSpec {
  /** A bare 1×1 convolution to {@code out} channels. */
  @BlockSpec(parameters = "out")
  interface Linear {
    @Conv(channels = Let.BOUND, kernel = 1, norm = Norm.NONE, act = Act.NONE) @Let(channels = "out")
    Operand<TFloat32> conv();
  }

  @Branches({
      @Branch(block = Linear.class, with = "out = 3"),
      @Branch(block = Linear.class, with = "out = 3")})
  Operand<TFloat32> added();

  @Branches(value = {
      @Branch(block = Linear.class, with = "out = 2"),
      @Branch(block = Linear.class, with = "out = 1")},
      join = Join.CONCAT)
  Operand<TFloat32> concatenated();
}
