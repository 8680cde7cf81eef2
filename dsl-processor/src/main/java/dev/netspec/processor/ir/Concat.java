package dev.netspec.processor.ir;

import java.util.List;

/** Feature maps of one size concatenated along the channels, in input order. */
public record Concat() implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape first = inputs.get(0);
    long channels = 0;
    for (TensorShape part : inputs) {
      if (part.flat() || part.height() != first.height() || part.width() != first.width()) {
        throw new IllegalArgumentException("concat: " + first.describe() + " and "
            + part.describe() + " differ in size");
      }
      channels += part.channels();
    }
    // an absurd count stays absurd rather than wrapping around: the walk reports it
    return first.withChannels((int) Math.min(channels, Integer.MAX_VALUE));
  }

  @Override
  public String describe() {
    return "concat";
  }
}
