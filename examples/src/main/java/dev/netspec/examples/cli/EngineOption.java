package dev.netspec.examples.cli;

import dev.netspec.runtime.engine.Engine;
import dev.netspec.runtime.engine.EngineDecision;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --engine}: what runs a command's inference. */
public final class EngineOption {
  @Option(names = "--engine", defaultValue = "${env:NETSPEC_ENGINE:-auto}",
      paramLabel = "<engine>", converter = EngineConverter.class,
      description = "auto, tensorflow, or onnxruntime: the network exported to ONNX in memory and "
          + "run by ONNX Runtime on the CPU. auto runs the faster of the two for this network and "
          + "batch size on this CPU (timed once and kept), onnxruntime only where its output "
          + "agrees with tensorflow's (default: ${DEFAULT-VALUE}; NETSPEC_ENGINE sets it)")
  public Engine engine;

  /** Says on {@code err} which engine auto chose and why, where it chose. */
  static void report(Optional<EngineDecision> decision, PrintWriter err) {
    decision.ifPresent(d -> {
      err.println("netspec: engine " + d.describe());
      err.flush();
    });
  }

  public static final class EngineConverter implements ITypeConverter<Engine> {
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
