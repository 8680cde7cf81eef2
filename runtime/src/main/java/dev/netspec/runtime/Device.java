package dev.netspec.runtime;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a {@link Model} runs: wherever TensorFlow places it ({@link #auto()}: the first GPU when
 * one is visible), the CPU, or one GPU. A GPU that is not visible falls back to the CPU with one
 * warning, unless {@link #strict()} asks to fail instead.
 *
 * @param kind auto, CPU or GPU
 * @param index the GPU's index; 0 otherwise
 * @param strict fail rather than fall back when the GPU is not visible
 */
public record Device(Kind kind, int index, boolean strict) {
  public enum Kind { AUTO, CPU, GPU }

  public Device {
    Objects.requireNonNull(kind, "kind");
    if (index < 0 || (kind != Kind.GPU && index != 0)) {
      throw new IllegalArgumentException("device index " + index + " is only for a GPU, from 0");
    }
  }

  public static Device auto() {
    return new Device(Kind.AUTO, 0, false);
  }

  public static Device cpu() {
    return new Device(Kind.CPU, 0, false);
  }

  public static Device gpu(int index) {
    return new Device(Kind.GPU, index, false);
  }

  /** This device, failing instead of falling back to the CPU. */
  /** How many GPUs TensorFlow can place ops on in this process (probed once). */
  public static int visibleGpus() {
    return DevicePlacement.visibleGpus();
  }

  public Device strictly() {
    return new Device(kind, index, true);
  }

  /** {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}, as the command line takes it. */
  public static Device parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("auto")) {
      return auto();
    }
    if (value.equals("cpu")) {
      return cpu();
    }
    if (value.equals("gpu")) {
      return gpu(0);
    }
    if (value.startsWith("gpu:")) {
      try {
        return gpu(Integer.parseInt(value.substring(4)));
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
    }
    throw new IllegalArgumentException("device '" + text + "': use auto, cpu, gpu or gpu:N");
  }

  @Override
  public String toString() {
    return (kind == Kind.GPU ? "gpu:" + index : kind.name().toLowerCase(Locale.ROOT))
        + (strict ? " (strict)" : "");
  }
}
