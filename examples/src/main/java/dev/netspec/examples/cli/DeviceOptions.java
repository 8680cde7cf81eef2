package dev.netspec.examples.cli;

import com.google.protobuf.TextFormat;
import dev.netspec.runtime.Device;
import dev.netspec.runtime.ModelOptions;
import org.tensorflow.proto.ConfigProto;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * How a command runs a network: the device, TensorFlow's CPU threads and any other TensorFlow
 * session setting.
 */
final class DeviceOptions {
  @Option(names = "--device", defaultValue = "auto", converter = DeviceConverter.class,
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE})")
  Device device;

  @Option(names = "--threads", defaultValue = "0",
      description = "TensorFlow's CPU threads; 0 = every core, at most 4 per processor "
          + "(default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--session-config", paramLabel = "<text>", converter = ConfigConverter.class,
      description = "TensorFlow ConfigProto settings in protobuf text format, merged last, e.g."
          + " 'graph_options { optimizer_options { global_jit_level: ON_1 } }'")
  ConfigProto sessionConfig = ConfigProto.getDefaultInstance();

  ModelOptions modelOptions() {
    if (threads < 0 || threads > ModelOptions.maxThreads()) {
      throw new IllegalArgumentException("--threads must be from 0 (every core) to "
          + ModelOptions.maxThreads() + " (" + ModelOptions.THREADS_PER_PROCESSOR
          + " per processor; Java sees " + Runtime.getRuntime().availableProcessors()
          + "), got " + threads);
    }
    return ModelOptions.defaults().withDevice(device).withThreads(threads)
        .withSessionConfig(sessionConfig);
  }

  static final class ConfigConverter implements ITypeConverter<ConfigProto> {
    @Override
    public ConfigProto convert(String text) throws TextFormat.ParseException {
      ConfigProto.Builder builder = ConfigProto.newBuilder();
      TextFormat.merge(text, builder);
      return builder.build();
    }
  }
}
