package dev.netspec.runtime.layers;

import java.util.Objects;

/**
 * What a network sets for all its units: the default activation and BatchNorm epsilon, and the
 * fan of Kaiming initialization. A network built inside another (a spec's {@code @Use}) brings
 * its own.
 */
record NetworkSettings(Nonlinearity activation, float epsilon, FanMode fanMode) {

  /** PyTorch's defaults: ReLU, epsilon 1e-5, and torchvision's ResNet initialization (fan-out). */
  static final NetworkSettings PYTORCH =
      new NetworkSettings(Nonlinearity.RELU, 1e-5f, FanMode.FAN_OUT);

  NetworkSettings {
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(fanMode, "fanMode");
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("BatchNorm epsilon must be > 0, got " + epsilon);
    }
  }
}
