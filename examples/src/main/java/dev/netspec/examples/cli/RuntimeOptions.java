package dev.netspec.examples.cli;

import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.InputShape;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where and how a command runs a network: device, threads, and the image side for any-size networks. */
final class RuntimeOptions {
  @Mixin DeviceOptions devices;

  @Option(names = "--size", defaultValue = "224",
      description = "image side when the network takes any size (default: ${DEFAULT-VALUE})")
  int size;

  ModelOptions modelOptions() {
    return devices.modelOptions();
  }

  /** The image height: the network's own, or --size when it takes any. */
  int height(InputShape input) {
    return input.fixedSize() ? input.height() : checkedSize();
  }

  int width(InputShape input) {
    return input.fixedSize() ? input.width() : checkedSize();
  }

  private int checkedSize() {
    if (size < 1) {
      throw new IllegalArgumentException("--size must be at least 1, got " + size);
    }
    return size;
  }
}
