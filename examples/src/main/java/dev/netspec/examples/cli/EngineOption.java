package dev.netspec.examples.cli;

import dev.netspec.runtime.engine.Engine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --engine}: what runs a command's inference. */
final class EngineOption {
  @Option(names = "--engine", defaultValue = "tensorflow", paramLabel = "<engine>",
      converter = EngineConverter.class,
      description = "tensorflow, or onnxruntime: the network exported to ONNX in memory and run by "
          + "ONNX Runtime on the CPU, often faster at small batches (default: ${DEFAULT-VALUE})")
  Engine engine;

  static final class EngineConverter implements ITypeConverter<Engine> {
    @Override
    public Engine convert(String value) {
      try {
        return Engine.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
