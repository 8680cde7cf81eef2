package dev.netspec.processor.ir;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A variable a primitive creates: its PyTorch-style name ({@code 0.conv1.weight}, relative to
 * where it is listed), its shape in PyTorch's layout ({@code [out, in / groups, k, k]} for a
 * convolution, {@code [out, in]} for a linear layer) and whether it trains (BatchNorm running
 * statistics do not).
 */
public record Parameter(String name, List<Integer> shape, boolean trainable) {

  public Parameter {
    shape = List.copyOf(shape);
  }

  public static Parameter trainable(String name, Integer... shape) {
    return new Parameter(name, List.of(shape), true);
  }

  public static Parameter buffer(String name, Integer... shape) {
    return new Parameter(name, List.of(shape), false);
  }

  /** The number of values. */
  public long size() {
    long size = 1;
    for (int dimension : shape) {
      size *= dimension;
    }
    return size;
  }

  /** This parameter named inside {@code scope}: "conv1" makes "weight" "conv1.weight". */
  public Parameter in(String scope) {
    return new Parameter(Graph.join(scope, name), shape, trainable);
  }

  /** "[256, 64, 1, 1]". */
  public String describeShape() {
    return shape.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }
}
