package dev.netspec.examples.cli;

import dev.netspec.runtime.Device;
import dev.netspec.runtime.ModelOptions;
import picocli.CommandLine.Option;

/** Where a command runs a network: the device and TensorFlow's CPU threads. */
final class DeviceOptions {
  @Option(names = "--device", defaultValue = "auto", converter = DeviceConverter.class,
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
  Device device;

  @Option(names = "--threads", defaultValue = "0",
      description = "TensorFlow's CPU threads; 0 = every core (default: ${DEFAULT-VALUE})")
  int threads;

  ModelOptions modelOptions() {
    return ModelOptions.defaults().withDevice(device).withThreads(threads);
  }
}
