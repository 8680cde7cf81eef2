package dev.netspec.annotations;

/** Where a convolution stands relative to its normalization and activation. */
public enum Order {
  /** Convolution, then normalization, then activation: the usual order. */
  CONV_NORM_ACT,
  /** Normalization, then activation, then convolution: pre-activation (He et al. 2016, DenseNet). */
  NORM_ACT_CONV
}
