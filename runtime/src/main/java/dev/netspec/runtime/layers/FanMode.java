package dev.netspec.runtime.layers;

/** Which fan Kaiming initialization of convolution weights divides by (PyTorch's {@code mode}). */
public enum FanMode {
  FAN_IN, FAN_OUT
}
