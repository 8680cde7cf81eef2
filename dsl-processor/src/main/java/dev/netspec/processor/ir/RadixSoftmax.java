package dev.netspec.processor.ir;

import java.util.List;

/**
 * Attention logits of {@code radix} parts turned into weights: a softmax across the parts within
 * each of {@code cardinality} groups (timm's {@code RadixSoftmax}; with one group, a selective
 * kernel's softmax across its branches). The shape stays.
 */
public record RadixSoftmax(int radix, int cardinality) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape in = Primitive.only(inputs, "radix softmax");
    if (in.channels() % (radix * cardinality) != 0) {
      throw new IllegalArgumentException("radix softmax: " + radix + " x " + cardinality
          + " does not divide " + in.channels() + " channels");
    }
    return in;
  }

  @Override
  public String describe() {
    return "softmax over " + radix + (cardinality > 1 ? " in " + cardinality + " groups" : "");
  }
}
