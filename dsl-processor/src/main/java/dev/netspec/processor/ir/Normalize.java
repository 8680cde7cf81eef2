package dev.netspec.processor.ir;

import java.util.List;

/** Each image's flat features scaled to unit L2 norm, as PyTorch's {@code F.normalize}. */
public record Normalize() implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    return Primitive.only(inputs, "normalize");
  }

  @Override
  public String describe() {
    return "l2 normalize";
  }
}
