package dev.netspec.processor.ir;

import java.util.List;
import java.util.OptionalDouble;

/**
 * PyTorch's {@code BatchNorm2d} over the channels ({@code BatchNorm1d} over flat features):
 * trainable {@code weight} and {@code bias}, and the running statistics {@code running_mean} and
 * {@code running_var}, which do not train.
 *
 * @param epsilon empty for the network's epsilon
 * @param momentum the running statistics' momentum
 */
public record BatchNorm(OptionalDouble epsilon, double momentum) implements Primitive {
  /** PyTorch's default momentum. */
  public static final double MOMENTUM = 0.1;

  /** A BatchNorm with the network's epsilon and PyTorch's momentum, as blocks have. */
  public BatchNorm() {
    this(OptionalDouble.empty(), MOMENTUM);
  }

  /** A BatchNorm with its own epsilon and momentum. */
  public static BatchNorm of(double epsilon, double momentum) {
    return new BatchNorm(OptionalDouble.of(epsilon), momentum);
  }

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
