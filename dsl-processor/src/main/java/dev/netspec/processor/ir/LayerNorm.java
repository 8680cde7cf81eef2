package dev.netspec.processor.ir;

import java.util.List;

/**
 * Layer normalization over the channels at each position, PyTorch's {@code F.layer_norm} over the
 * last axis of NHWC (ConvNeXt's {@code LayerNorm2d}) or of flat features: trainable {@code weight}
 * and {@code bias} {@code [channels]}.
 */
public record LayerNorm(double epsilon) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    return Primitive.only(inputs, "layer norm");
  }

  @Override
  public List<Parameter> parameters(List<TensorShape> inputs) {
    int c = Primitive.only(inputs, "layer norm").channels();
    return List.of(Parameter.trainable("weight", c), Parameter.trainable("bias", c));
  }

  @Override
  public String describe() {
    return "ln";
  }
}
