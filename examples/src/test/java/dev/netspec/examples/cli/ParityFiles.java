package dev.netspec.examples.cli;

import dev.netspec.runtime.io.SafetensorsFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes parity files for tests: the state dict of a real one with another {@code input} or
 * {@code output}, stored as F32 (without the integer {@code num_batches_tracked}, which an import
 * ignores). A tensor given without values is declared in full and left a
 * hole in a sparse file, so a file can declare gigabytes and take no disk.
 */
final class ParityFiles {
  /** A tensor to write; {@code values} null for a hole. */
  record Tensor(long[] shape, float[] values) {}

  private ParityFiles() {}

  /** {@code source}'s tensors with {@code replaced} ones in their place (or added), holes last. */
  static Path write(Path source, Path target, Map<String, Tensor> replaced) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    try (SafetensorsFile file = SafetensorsFile.open(source)) {
      for (String name : file.names()) {
        if (!replaced.containsKey(name) && file.unreadable(name).isEmpty()) { // F32 only
          tensors.put(name, new Tensor(file.shape(name).asArray(), file.read(name)));
        }
      }
    }
    replaced.forEach((name, t) -> {
      if (t.values() != null) {
        tensors.put(name, t);
      }
    });
    replaced.forEach((name, t) -> {
      if (t.values() == null) {
        tensors.put(name, t);
      }
    });
    StringBuilder header = new StringBuilder("{");
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      long bytes = 4 * Arrays.stream(e.getValue().shape()).reduce(1, Math::multiplyExact);
      header.append(header.length() > 1 ? "," : "").append('"').append(e.getKey())
          .append("\":{\"dtype\":\"F32\",\"shape\":[")
          .append(Arrays.stream(e.getValue().shape()).mapToObj(Long::toString)
              .collect(Collectors.joining(",")))
          .append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes)
          .append("]}");
      offset += bytes;
    }
    header.append('}');
    while (header.length() % 8 != 0) {
      header.append(' ');
    }
    byte[] json = header.toString().getBytes(StandardCharsets.US_ASCII);
    try (RandomAccessFile out = new RandomAccessFile(target.toFile(), "rw")) {
      out.setLength(0);
      ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      out.write(length.putLong(json.length).array());
      out.write(json);
      for (Tensor t : tensors.values()) {
        if (t.values() != null) {
          ByteBuffer data = ByteBuffer.allocate(4 * t.values().length)
              .order(ByteOrder.LITTLE_ENDIAN);
          data.asFloatBuffer().put(t.values());
          out.write(data.array());
        }
      }
      out.setLength(8 + json.length + offset); // the holes: never written, no disk taken
    }
    return target;
  }
}
