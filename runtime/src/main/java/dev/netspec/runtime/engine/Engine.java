package dev.netspec.runtime.engine;

import dev.netspec.runtime.Device;
import dev.netspec.runtime.Model;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The engines that run a network's inference. Training always runs on TensorFlow: the ONNX model
 * an engine runs holds weights as constants, with BatchNorm folded into the convolutions.
 */
public enum Engine {
  /**
   * The faster of the two others for the network, its batch size and this machine, timed once and
   * kept per CPU; ONNX Runtime only where its output agrees with TensorFlow's ({@link
   * LogitAgreement}), and never on a GPU. The command line's default.
   */
  AUTO,
  /** {@link Model#predict}: the TensorFlow graph the network was built into. */
  TENSORFLOW,
  /**
   * ONNX Runtime (CPU) on the network exported to ONNX in memory: often several times faster than
   * TensorFlow at small batches on CPUs where oneDNN's kernels are slow.
   */
  ONNXRUNTIME;

  /**
   * The engine's name on the command line: {@code auto}, {@code tensorflow} or
   * {@code onnxruntime}.
   */
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

  /** {@code auto, tensorflow or onnxruntime}. */
  public static String labels() {
    String all = Arrays.stream(values()).map(Engine::label).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }

  /** The engines that run a network themselves: all but {@link #AUTO}. */
  public static List<Engine> concrete() {
    return List.of(TENSORFLOW, ONNXRUNTIME);
  }

  /**
   * The engine that runs on {@code device}: {@link #AUTO} is TensorFlow on a GPU (the onnxruntime
   * artifact netspec uses is ONNX Runtime's CPU build), every other engine itself.
   */
  public Engine on(Device device) {
    return this == AUTO && device.kind() == Device.Kind.GPU ? TENSORFLOW : this;
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

  /** Whether the engine {@link #open opened} on a model runs that model, which stays open. */
  public boolean runsModel() {
    return this != ONNXRUNTIME;
  }

  /**
   * This engine running {@code model}'s network with the model's current weights.
   *
   * <p>{@link #TENSORFLOW} and {@link #AUTO} run the model itself: the caller keeps it open while
   * the engine is used and closes it after. {@link #ONNXRUNTIME} exports it once here and no
   * longer needs the model afterwards: the caller may close it at once and free TensorFlow's
   * memory.
   *
   * @param threads the CPU threads of one run, 0 for the engine's default (every core)
   * @param height the image height the engine takes, 0 for the network's own; ONNX Runtime needs
   *     one for networks that take any size, TensorFlow ignores it
   * @param width as {@code height}
   */
  public InferenceEngine open(Model<?> model, int threads, int height, int width) {
    return switch (this) {
      case AUTO -> AutoEngine.of(model, threads, height, width);
      case TENSORFLOW -> new TensorFlowEngine(model);
      case ONNXRUNTIME -> OnnxRuntimeEngine.of(model, threads, height, width);
    };
  }
}
