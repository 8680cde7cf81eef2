package dev.netspec.runtime.layers;

/**
 * An activation function. {@code PRELU} learns one slope per channel (variable {@code weight},
 * initialized 0.25). {@code GELU} is PyTorch's exact (erf) form; {@code HARDSWISH} and {@code
 * HARDSIGMOID} are PyTorch's ({@code x · relu6(x + 3) / 6}, {@code relu6(x + 3) / 6}).
 */
public enum Nonlinearity {
  NONE, RELU, RELU6, PRELU, ELU, SELU, SIGMOID, TANH, SILU, GELU, HARDSWISH, HARDSIGMOID
}
