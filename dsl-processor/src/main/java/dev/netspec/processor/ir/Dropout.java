package dev.netspec.processor.ir;

import java.util.List;

/** Inverted dropout in training; the identity in inference. */
public record Dropout(double rate) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    return Primitive.only(inputs, "dropout");
  }

  @Override
  public String describe() {
    return "dropout " + rate;
  }
}
