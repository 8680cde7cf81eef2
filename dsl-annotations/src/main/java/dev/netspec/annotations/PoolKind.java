package dev.netspec.annotations;

/** A pooling function. */
public enum PoolKind {
  /** The largest value in the window; padding never wins. */
  MAX,
  /** The mean of the window; zero padding counts towards the divisor, as PyTorch's default. */
  AVG
}
