package dev.netspec.examples;

import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Output;
import dev.netspec.annotations.Use;
import dev.netspec.examples.zoo.ResNets;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** A zoo classifier used as a backbone without its head, behind a grey-to-RGB 1×1 convolution. */
@Network(name = "GreyBackbone", input = @Input(channels = 1),
    output = @Output(channels = 128, stride = 16))
interface GreyBackboneSpec {
  @Conv(channels = 3, kernel = 1) Operand<TFloat32> toRgb();
  @Use(value = ResNets.ResNet18Spec.class, until = "layer3") Operand<TFloat32> backbone();
  @Conv(channels = 128, kernel = 1) Operand<TFloat32> neck();
}
