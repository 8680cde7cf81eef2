package dev.netspec.examples;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Stack;
import dev.netspec.examples.zoo.ConvNeXts;
import dev.netspec.examples.zoo.EfficientNets;
import dev.netspec.examples.zoo.MobileNets;
import dev.netspec.examples.zoo.RegNets;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The zoo's user blocks at 32×32, for tests that train: ConvNeXt's (LayerNorm, GELU, layer scale,
 * stochastic depth), EfficientNet's (SiLU squeeze-excite sized from the input, a stride-2 first
 * repetition), MobileNetV3's (hard swish, hard sigmoid gate, identity add) and RegNet's (grouped
 * 3×3, projection shortcut, ReLU after the add).
 */
@Network(name = "TinyModern", input = @Input(height = 32, width = 32), activation = Act.HARDSWISH)
interface TinyModernSpec {
  @Conv(channels = 16, kernel = 2, stride = 2, bias = true, norm = Norm.LAYER, act = Act.NONE)
  Operand<TFloat32> stem();

  @Stack(block = ConvNeXts.CNBlock.class, repeat = 2) Operand<TFloat32> convnext();

  @Stack(block = EfficientNets.MBConv.class, repeat = 2, with = {"out = 24", "expand = 2"},
      first = "stride = 2")
  Operand<TFloat32> mbconv();

  @Stack(block = MobileNets.HardswishSqueezeBottleneck.class, with = {"out = 24", "expanded = 48"})
  Operand<TFloat32> bneck();

  @Stack(block = RegNets.YBlock.class, with = {"out = 32", "stride = 2"}) Operand<TFloat32> yblock();

  @Classifier(classes = 4) Operand<TFloat32> head();
}
