package dev.netspec.processor.ir;

import java.util.List;

/**
 * One operation of a stage's graph, as the runtime executes it with PyTorch's semantics. Each
 * primitive defines, once, what it yields for its inputs' shapes, the variables it creates (named
 * relative to its node, with PyTorch's shapes) and its multiply-accumulates.
 */
public sealed interface Primitive
    permits Conv, BatchNorm, Activation, Pool, GlobalPool, Add, Concat, Slice, Gate, Linear,
        Dropout, Flatten, Normalize, RadixSoftmax, WeightedSum, LayerNorm, LayerScale,
        StochasticDepth {

  /** The output shape for these input shapes, which the primitive must accept. */
  TensorShape output(List<TensorShape> inputs);

  /** The variables it creates for these inputs, named relative to its node; none by default. */
  default List<Parameter> parameters(List<TensorShape> inputs) {
    return List.of();
  }

  /**
   * Multiply-accumulates for one image: counted for convolutions and linear layers only, -1 where
   * a size is dynamic.
   */
  default long macs(List<TensorShape> inputs) {
    return 0;
  }

  /** A short label for diagrams: "conv 3x3 /2 64", "bn", "relu". */
  String describe();

  /** The single input of a one-input primitive. */
  static TensorShape only(List<TensorShape> inputs, String what) {
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(what + " takes one input, got " + inputs.size());
    }
    return inputs.get(0);
  }

  /** The single input of a primitive that works on [N, H, W, C]. */
  static TensorShape featureMap(List<TensorShape> inputs, String what) {
    TensorShape in = only(inputs, what);
    if (in.flat()) {
      throw new IllegalArgumentException(what + " needs a feature map, got " + in.describe());
    }
    return in;
  }
}
