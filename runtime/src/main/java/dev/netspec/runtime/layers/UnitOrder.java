package dev.netspec.runtime.layers;

/** The order of convolution, BatchNorm and activation in a unit; {@code NORM_ACT_CONV} is pre-activation. */
public enum UnitOrder {
  CONV_NORM_ACT, NORM_ACT_CONV
}
