package dev.netspec.examples;

import dev.netspec.annotations.Block;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.DenseBlock;
import dev.netspec.annotations.Downsample;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Residual;
import dev.netspec.annotations.SelectiveKernel;
import dev.netspec.annotations.SplitAttention;
import dev.netspec.annotations.SqueezeExcite;
import dev.netspec.annotations.Transition;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A small network with every attention modifier on every kind of stage it modifies. */
@Network(name = "TinyAttentionNet", input = @Input(channels = 3, height = 16, width = 16))
interface TinyAttentionNetSpec {
  @Conv(channels = 16) Operand<TFloat32> stem();
  @SqueezeExcite(reduction = 4)
  @Residual(block = Block.BASIC, blocks = 1, planes = 16) Operand<TFloat32> basicSe();
  @SelectiveKernel(groups = 4, minDim = 8)
  @Residual(block = Block.BASIC, blocks = 1, planes = 16, stride = 2) Operand<TFloat32> basicSk();
  @SqueezeExcite(reduction = 4) @SelectiveKernel(branches = 3, groups = 2, minDim = 8)
  @Residual(blocks = 1, planes = 4, groups = 2, baseWidth = 64) Operand<TFloat32> bottleneckSk();
  @SqueezeExcite(reduction = 4) @SplitAttention(cardinality = 2)
  @Residual(blocks = 2, planes = 8, stride = 2, groups = 2, downsample = Downsample.AVG_CONV)
  Operand<TFloat32> splitAttention();
  @SplitAttention(radix = 1)
  @Residual(blocks = 1, planes = 8) Operand<TFloat32> sigmoidSplit();
  @SqueezeExcite(reduction = 4) @DenseBlock(growth = 8, layers = 2) Operand<TFloat32> dense();
  @Transition Operand<TFloat32> transition();
  @SqueezeExcite(reduction = 4)
  @Residual(block = Block.BASIC, blocks = 1, planes = 16, preact = true) Operand<TFloat32> preact();
  @Classifier(classes = 4) Operand<TFloat32> head();
}
