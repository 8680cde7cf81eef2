package com.example.consumer;

import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Expect;
import dev.netspec.annotations.Input;
import dev.netspec.annotations.Network;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Stack;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A small SqueezeNet of two {@link Fire} modules. Parameters: stem 3·32·9 + 32; fire 0 (32 in)
 * 32·8 + 8, 8·32 + 32, 8·32·9 + 32; fire 1 (64 in) 64·8 + 8 and the same expansions; the
 * classifier 64·10 + 10.
 */
@Network(name = "TinySqueezeNet", input = @Input(channels = 3, height = 32, width = 32))
@Expect(parameters = 896 + 2_888 + 3_144 + 650)
public interface TinySqueezeNetSpec {
  @Conv(channels = 32, stride = 2, norm = Norm.NONE, bias = true) Operand<TFloat32> stem();
  @Stack(block = Fire.class, repeat = 2, with = {"squeeze = 8", "expand = 32"})
  Operand<TFloat32> fire();
  @Classifier(classes = 10) Operand<TFloat32> fc();
}
