package dev.netspec.annotations;

/** The normalization that follows (or precedes) a convolution. */
public enum Norm {
  /** No normalization. */
  NONE,
  /** Batch normalization with the network's epsilon and PyTorch's momentum convention (0.1). */
  BATCH
}
