package dev.netspec.runtime.layers;

/** An activation function. {@code PRELU} learns one slope per channel (variable {@code weight}, initialized 0.25). */
public enum Nonlinearity {
  NONE, RELU, RELU6, PRELU, ELU, SELU, SIGMOID, TANH, SILU
}
