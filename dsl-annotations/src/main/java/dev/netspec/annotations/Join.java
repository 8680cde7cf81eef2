package dev.netspec.annotations;

/** How {@link Branches} joins the outputs of its paths. */
public enum Join {
  /** Their sum; the paths' shapes must match. */
  ADD,
  /** Concatenated along the channels in the paths' order; height, width and stride must match. */
  CONCAT,
  /**
   * A selective-kernel attention sum (SKNet, Li et al. 2019; timm's {@code SelectiveKernel}):
   * the paths are summed, pooled, squeezed by a 1×1 convolution (no bias) with BatchNorm and
   * ReLU, expanded by a 1×1 convolution (no bias) to one logit per path and channel; a softmax
   * across the paths weights each one, and the weighted paths are summed. The paths' shapes must
   * match.
   */
  SELECT
}
