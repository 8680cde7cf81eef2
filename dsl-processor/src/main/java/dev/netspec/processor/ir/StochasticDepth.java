package dev.netspec.processor.ir;

import java.util.List;

/**
 * torchvision's {@code StochasticDepth(rate, "row")}: in training each image is zeroed with
 * probability {@code rate} and scaled by {@code 1 / (1 - rate)} otherwise; the identity in
 * inference. No variables.
 */
public record StochasticDepth(double rate) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    return Primitive.only(inputs, "stochastic depth");
  }

  @Override
  public String describe() {
    return "stochastic depth " + rate;
  }
}
