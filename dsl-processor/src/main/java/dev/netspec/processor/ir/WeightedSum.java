package dev.netspec.processor.ir;

import java.util.List;

/**
 * Parts of one shape weighted by attention and summed: inputs the parts, then the weights
 * ({@code [N, 1, 1, parts · C]}, part-major); output one part's shape.
 */
public record WeightedSum() implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    int parts = inputs.size() - 1;
    TensorShape part = inputs.get(0);
    if (parts < 1 || (long) parts * part.channels() != inputs.get(parts).channels()) {
      throw new IllegalArgumentException("weighted sum: needs parts and one weight per part and"
          + " channel");
    }
    return new Add().output(inputs.subList(0, parts));
  }

  @Override
  public String describe() {
    return "weighted sum";
  }
}
