package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The features a dense block grows, one layer at a time, and the kernel its layers' units run
 * on them: a pre-activation unit (BatchNorm, ReLU or no activation, a k×k convolution at stride
 * 1 padded by k / 2) that in training computes its BatchNorm and activation again in the backward
 * pass instead of keeping them alive ({@link RecomputingDenseUnit}).
 *
 * <p>In a {@linkplain Layers#memoryEfficient() memory-efficient} network (torchvision's {@code
 * memory_efficient}) the features stay apart as the block's input and each layer's new features,
 * concatenated once at the end; a layer's first unit works on the parts and computes their
 * concatenation again too, and its later units recompute theirs. Otherwise each layer extends
 * the previous concatenation. In inference, and for an activation the kernel cannot recompute,
 * the units are the ordinary primitives.
 *
 * <p>Immutable: {@link #concat} returns the grown features.
 */
public final class DenseFeatures {
  private final Nonlinearity activation;
  private final boolean recomputes;
  private final boolean efficient;
  /** Memory-efficient: the block's input and every layer's new features; else the concatenation. */
  private final List<Operand<TFloat32>> parts;
  private final Layers block;

  private DenseFeatures(Layers block, Nonlinearity activation, boolean recomputes,
      boolean efficient, List<Operand<TFloat32>> parts) {
    this.block = block;
    this.activation = activation;
    this.recomputes = recomputes;
    this.efficient = efficient;
    this.parts = List.copyOf(parts);
  }

  /**
   * The features of a block in scope {@code block} whose units use {@code activation}, before its
   * first layer: its input.
   */
  public static DenseFeatures of(Layers block, Operand<TFloat32> input, Nonlinearity activation) {
    Tensors.channels(input, "dense block");
    boolean recomputes = block.training() && RecomputingDenseUnit.supports(activation);
    return new DenseFeatures(block, activation, recomputes, recomputes && block.memoryEfficient(),
        List.of(input));
  }

  /**
   * A layer's first unit on these features: BatchNorm in {@code norm}, the activation in {@code
   * act}, a k×k convolution to {@code channels} in {@code conv}.
   */
  public Operand<TFloat32> unit(Layers norm, Layers act, Layers conv, int channels, int kernel) {
    return recomputes
        ? RecomputingDenseUnit.apply(norm, act, conv, activation, parts, channels, kernel)
        : RecomputingDenseUnit.ordinary(norm, act, conv, activation, output(), channels, kernel);
  }

  /** A later unit of a layer, on {@code x}: recomputed in memory-efficient training. */
  public Operand<TFloat32> unit(Operand<TFloat32> x, Layers norm, Layers act, Layers conv,
      int channels, int kernel) {
    return efficient
        ? RecomputingDenseUnit.apply(norm, act, conv, activation, List.of(x), channels, kernel)
        : RecomputingDenseUnit.ordinary(norm, act, conv, activation, x, channels, kernel);
  }

  /** These features with a layer's {@code newFeatures} concatenated. */
  public DenseFeatures concat(Operand<TFloat32> newFeatures) {
    List<Operand<TFloat32>> grown = new ArrayList<>(parts);
    grown.add(newFeatures);
    return new DenseFeatures(block, activation, recomputes, efficient,
        efficient ? grown : List.of(block.concat(grown)));
  }

  /** The features as one tensor: the block's input and every layer's new features. */
  public Operand<TFloat32> output() {
    return block.concat(parts);
  }
}
