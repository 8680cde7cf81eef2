package dev.netspec.processor.ir;

import java.util.List;

/** {@code [N, H, W, C]} to {@code [N, H·W·C]} in NHWC order; the size must be fixed. */
public record Flatten() implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape in = Primitive.featureMap(inputs, "flatten");
    return TensorShape.flat(in.height() * in.width() * in.channels());
  }

  @Override
  public String describe() {
    return "flatten";
  }
}
