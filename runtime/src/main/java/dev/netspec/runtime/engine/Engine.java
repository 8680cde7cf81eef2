package dev.netspec.runtime.engine;

import dev.netspec.runtime.Device;
import dev.netspec.runtime.Model;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The engines that run a network's inference. Training always runs on TensorFlow: the ONNX model
 * an engine runs holds weights as constants, with BatchNorm folded into the convolutions.
 */
public enum Engine {
  /** {@link Model#predict}: the TensorFlow graph the network was built into. */
  TENSORFLOW,
  /**
   * ONNX Runtime (CPU) on the network exported to ONNX in memory: often several times faster than
   * TensorFlow at small batches on CPUs where oneDNN's kernels are slow.
   */
  ONNXRUNTIME;

  /** The engine's name on the command line: {@code tensorflow}, {@code onnxruntime}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The engine called {@code name}, in any case.
   *
   * @throws IllegalArgumentException naming the engines there are
   */
  public static Engine parse(String name) {
    for (Engine engine : values()) {
      if (engine.label().equalsIgnoreCase(name.trim())) {
        return engine;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is no engine; use " + labels());
  }

  /** {@code tensorflow or onnxruntime}. */
  public static String labels() {
    return Arrays.stream(values()).map(Engine::label).collect(Collectors.joining(" or "));
  }

  /**
   * Refuses a device this engine does not run on: the onnxruntime artifact netspec uses is ONNX
   * Runtime's CPU build.
   *
   * @throws IllegalArgumentException for {@link #ONNXRUNTIME} on a GPU
   */
  public void checkDevice(Device device) {
    if (this == ONNXRUNTIME && device.kind() == Device.Kind.GPU) {
      throw new IllegalArgumentException("onnxruntime runs on the CPU only (ONNX Runtime's CPU "
          + "build); run it on the CPU, or run tensorflow on " + device);
    }
  }

  /**
   * This engine running {@code model}'s network with the model's current weights.
   *
   * <p>{@link #TENSORFLOW} runs the model itself: the caller keeps it open while the engine is
   * used and closes it after. {@link #ONNXRUNTIME} exports it once here and no longer needs the
   * model afterwards: the caller may close it at once and free TensorFlow's memory.
   *
   * @param threads the CPU threads of one run, 0 for the engine's default (every core)
   * @param height the image height the engine takes, 0 for the network's own; ONNX Runtime needs
   *     one for networks that take any size, TensorFlow ignores it
   * @param width as {@code height}
   */
  public InferenceEngine open(Model<?> model, int threads, int height, int width) {
    return switch (this) {
      case TENSORFLOW -> new TensorFlowEngine(model);
      case ONNXRUNTIME -> OnnxRuntimeEngine.of(model, threads, height, width);
    };
  }
}
