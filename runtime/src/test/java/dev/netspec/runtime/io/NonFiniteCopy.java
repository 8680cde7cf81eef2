package dev.netspec.runtime.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A copy of a checkpoint with infinite values in one tensor, written past the checks (as a run
 * before them wrote BatchNorm variances that had overflowed).
 */
public final class NonFiniteCopy {
  private NonFiniteCopy() {}

  /** Copies {@code from} to {@code to} with every value of {@code tensor} made +∞. */
  public static Path write(Path from, Path to, String tensor) throws IOException {
    try (SafetensorsFile source = SafetensorsFile.open(from)) {
      if (!source.names().contains(tensor)) {
        throw new IllegalArgumentException(from + " has no " + tensor);
      }
    }
    return write(from, to, tensor::equals);
  }

  /** Copies {@code from} to {@code to} with every value of the tensors {@code which} names +∞. */
  public static Path write(Path from, Path to, Predicate<String> which) throws IOException {
    Map<String, TFloat32> tensors = new LinkedHashMap<>();
    try (SafetensorsFile source = SafetensorsFile.open(from)) {
      for (String name : source.names()) {
        float[] values = source.read(name);
        if (which.test(name)) {
          Arrays.fill(values, Float.POSITIVE_INFINITY);
        }
        tensors.put(name, TFloat32.tensorOf(source.shape(name),
            DataBuffers.of(values, true, false)));
      }
      SafeTensors.write(to, source.metadata(), tensors);
      return to;
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
  }

  /** Whether every value of every tensor in {@code file} is finite, read without any check. */
  public static boolean allFinite(Path file) throws IOException {
    try (SafetensorsFile source = SafetensorsFile.open(file)) {
      for (String name : source.names()) {
        for (float v : source.read(name)) {
          if (!Float.isFinite(v)) {
            return false;
          }
        }
      }
    }
    return true;
  }
}
