package dev.netspec.annotations;

/** An activation function. */
public enum Act {
  /** The network's activation, {@link Network#activation()}. */
  DEFAULT,
  /** No activation: the identity. */
  NONE,
  /** {@code max(x, 0)}. */
  RELU,
  /** {@code min(max(x, 0), 6)}. */
  RELU6,
  /** {@code max(x, 0) + a * min(x, 0)} with one learnable slope {@code a} per channel, initially 0.25. */
  PRELU,
  /** {@code x} for positive x, {@code exp(x) - 1} otherwise. */
  ELU,
  /** Scaled ELU. */
  SELU,
  /** {@code 1 / (1 + exp(-x))}. */
  SIGMOID,
  /** Hyperbolic tangent. */
  TANH,
  /** {@code x * sigmoid(x)}, also called swish. */
  SILU,
  /** {@code x / 2 * (1 + erf(x / sqrt(2)))}: PyTorch's exact GELU, not the tanh approximation. */
  GELU,
  /** {@code x * min(max(x + 3, 0), 6) / 6}. */
  HARDSWISH,
  /** {@code min(max(x + 3, 0), 6) / 6}. */
  HARDSIGMOID
}
