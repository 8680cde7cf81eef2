package dev.netspec.processor.ir;

import java.util.List;

/** The element-wise sum of tensors of one shape: a residual addition, or paths summed. */
public record Add() implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape first = inputs.get(0);
    for (TensorShape other : inputs) {
      if (other.channels() != first.channels() || other.height() != first.height()
          || other.width() != first.width()) {
        throw new IllegalArgumentException("add: " + first.describe() + " and "
            + other.describe() + " differ");
      }
    }
    return first;
  }

  @Override
  public String describe() {
    return "+";
  }
}
