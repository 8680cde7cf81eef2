package dev.netspec.annotations;

/** The normalization that follows (or precedes) a convolution. */
public enum Norm {
  /** No normalization. */
  NONE,
  /** Batch normalization with the network's epsilon and PyTorch's momentum convention (0.1). */
  BATCH,
  /**
   * Layer normalization over the channels at each position, as ConvNeXt's {@code LayerNorm2d}:
   * epsilon 1e-6 (not the network's), learnable {@code weight} and {@code bias} per channel, the
   * same in training and inference.
   */
  LAYER
}
