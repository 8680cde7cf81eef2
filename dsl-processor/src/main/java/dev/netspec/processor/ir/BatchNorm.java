package dev.netspec.processor.ir;

import java.util.List;

/**
 * PyTorch's {@code BatchNorm2d} over the channels ({@code BatchNorm1d} over flat features):
 * trainable {@code weight} and {@code bias}, and the running statistics {@code running_mean} and
 * {@code running_var}, which do not train.
 */
public record BatchNorm() implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    return Primitive.only(inputs, "batch norm");
  }

  @Override
  public List<Parameter> parameters(List<TensorShape> inputs) {
    int c = Primitive.only(inputs, "batch norm").channels();
    return List.of(Parameter.trainable("weight", c), Parameter.trainable("bias", c),
        Parameter.buffer("running_mean", c), Parameter.buffer("running_var", c));
  }

  @Override
  public String describe() {
    return "bn";
  }
}
