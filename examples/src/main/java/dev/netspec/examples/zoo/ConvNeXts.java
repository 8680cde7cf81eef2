package dev.netspec.examples.zoo;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.BlockSpec;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Dense;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.GlobalPool;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.LayerNorm;
import dev.netspec.annotations.LayerScale;
import dev.netspec.annotations.Let;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.Shortcut;
import dev.netspec.annotations.Stack;
import dev.netspec.annotations.StochasticDepth;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * ConvNeXt (Liu et al. 2022) as torchvision 0.14 builds it: a 4×4 stride-4 patchify stem with
 * LayerNorm, four stages of {@link CNBlock}s, LayerNorm and a 2×2 stride-2 convolution between
 * them, global average pooling, LayerNorm and a linear classifier. Every LayerNorm is over the
 * channels with epsilon 1e-6; stochastic depth rises linearly to 0.1 over the 18 blocks.
 * torchvision's {@code features.<i>} are, in order, {@code stem}, {@code stage1}, {@code down2},
 * {@code stage2}, …, {@code stage4}: {@link PyTorchNames#TORCHVISION_CONVNEXT}.
 */
public final class ConvNeXts {
  private ConvNeXts() {}

  /**
   * torchvision's {@code CNBlock}: depthwise 7×7 with bias, LayerNorm, 1×1 to 4 × the channels
   * with GELU, 1×1 back, layer scale, stochastic depth, the input added.
   */
  @BlockSpec(shortcut = Shortcut.ADD)
  public interface CNBlock {
    @Conv(channels = Let.BOUND, kernel = 7, depthwise = true, bias = true, norm = Norm.LAYER,
        act = Act.NONE)
    @Let(channels = "in")
    Operand<TFloat32> dwconv();

    @Conv(channels = Let.BOUND, kernel = 1, bias = true, norm = Norm.NONE, act = Act.GELU)
    @Let(channels = "in * 4")
    Operand<TFloat32> pwconv1();

    @Conv(channels = Let.BOUND, kernel = 1, bias = true, norm = Norm.NONE, act = Act.NONE)
    @Let(channels = "in")
    Operand<TFloat32> pwconv2();

    @LayerScale Operand<TFloat32> scale();

    @StochasticDepth(rate = 0.1) Operand<TFloat32> drop();
  }

  /** torchvision's {@code convnext_tiny}: 28,589,128 parameters, blocks 3-3-9-3, 96 to 768 channels. */
  @Network(name = "ConvNeXtTiny", input = @Input(height = 224, width = 224))
  @Expect(parameters = 28_589_128, macs = 4_455_531_264L)
  public interface ConvNeXtTinySpec {
    @Conv(channels = 96, kernel = 4, stride = 4, bias = true, norm = Norm.LAYER, act = Act.NONE)
    Operand<TFloat32> stem();

    @Stack(block = CNBlock.class, repeat = 3) Operand<TFloat32> stage1();

    @Conv(channels = 192, kernel = 2, stride = 2, bias = true, norm = Norm.LAYER, act = Act.NONE,
        order = Order.NORM_ACT_CONV)
    Operand<TFloat32> down2();

    @Stack(block = CNBlock.class, repeat = 3) Operand<TFloat32> stage2();

    @Conv(channels = 384, kernel = 2, stride = 2, bias = true, norm = Norm.LAYER, act = Act.NONE,
        order = Order.NORM_ACT_CONV)
    Operand<TFloat32> down3();

    @Stack(block = CNBlock.class, repeat = 9) Operand<TFloat32> stage3();

    @Conv(channels = 768, kernel = 2, stride = 2, bias = true, norm = Norm.LAYER, act = Act.NONE,
        order = Order.NORM_ACT_CONV)
    Operand<TFloat32> down4();

    @Stack(block = CNBlock.class, repeat = 3) Operand<TFloat32> stage4();

    @GlobalPool Operand<TFloat32> pool();

    @LayerNorm Operand<TFloat32> norm();

    @Dense(units = 1000) Operand<TFloat32> fc();
  }
}
