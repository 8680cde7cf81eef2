package dev.netspec.runtime;

import java.util.Objects;

/**
 * How a {@link Model} runs: its {@link Device} and the threads TensorFlow's CPU kernels use
 * (0 = TensorFlow's choice, every core).
 */
public record ModelOptions(Device device, int threads) {
  public ModelOptions {
    Objects.requireNonNull(device, "device");
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be 0 (all cores) or more, got " + threads);
    }
  }

  public static ModelOptions defaults() {
    return new ModelOptions(Device.auto(), 0);
  }

  public ModelOptions withDevice(Device newDevice) {
    return new ModelOptions(newDevice, threads);
  }

  public ModelOptions withThreads(int newThreads) {
    return new ModelOptions(device, newThreads);
  }
}
