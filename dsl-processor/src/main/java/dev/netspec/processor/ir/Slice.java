package dev.netspec.processor.ir;

import java.util.List;

/** The channels {@code [from, from + count)} of a feature map: one part of a channel split. */
public record Slice(int from, int count) implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    TensorShape in = Primitive.featureMap(inputs, "slice");
    if (from < 0 || count < 1 || (long) from + count > in.channels()) {
      throw new IllegalArgumentException("slice: channels " + from + " + " + count
          + " outside " + in.channels());
    }
    return in.withChannels(count);
  }

  @Override
  public String describe() {
    return "channels " + from + ".." + (from + count - 1);
  }
}
