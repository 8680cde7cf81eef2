package dev.netspec.processor.ir;

import java.util.List;

/**
 * A feature map scaled by a gate of its channels: inputs {@code x} and the gate ({@code [N, 1, 1,
 * C]} or x's shape), output {@code x · gate}.
 */
public record Gate() implements Primitive {

  @Override
  public TensorShape output(List<TensorShape> inputs) {
    if (inputs.size() != 2 || inputs.get(0).channels() != inputs.get(1).channels()) {
      throw new IllegalArgumentException("gate: takes a feature map and a gate of its channels");
    }
    return inputs.get(0);
  }

  @Override
  public String describe() {
    return "x gate";
  }
}
