package dev.netspec.processor.ir;

import java.util.List;

/**
 * PyTorch's {@code Linear} on flat features: {@code weight} {@code [units, in]} and, with {@code
 * bias}, {@code bias} {@code [units]}.
 */
public record Linear(int units, boolean bias) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape in = Primitive.only(inputs, "linear");
    if (!in.flat()) {
      throw new IllegalArgumentException("linear: needs flat features, got " + in.describe());
    }
    return TensorShape.flat(units);
  }

  @Override
  public List<Parameter> parameters(List<TensorShape> inputs) {
    Parameter weight = Parameter.trainable("weight", units, inputs.get(0).channels());
    return bias ? List.of(weight, Parameter.trainable("bias", units)) : List.of(weight);
  }

  @Override
  public long macs(List<TensorShape> inputs) {
    return (long) inputs.get(0).channels() * units;
  }

  @Override
  public String describe() {
    return "linear -> " + units;
  }
}
