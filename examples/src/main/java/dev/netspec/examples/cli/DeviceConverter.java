package dev.netspec.examples.cli;

import dev.netspec.runtime.Device;
import picocli.CommandLine.ITypeConverter;

/** {@code --device auto|cpu|gpu|gpu:N}. */
final class DeviceConverter implements ITypeConverter<Device> {
  @Override
  public Device convert(String value) {
    return Device.parse(value);
  }
}
