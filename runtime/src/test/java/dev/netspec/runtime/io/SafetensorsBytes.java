package dev.netspec.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/** Writes .safetensors files for tests: well-formed by default, any header or data on demand. */
final class SafetensorsBytes {
  private record Entry(String name, String dtype, long[] shape, byte[] data) {}

  private final List<Entry> entries = new ArrayList<>();
  private String metadata = "";

  SafetensorsBytes f32(String name, long[] shape, float... values) {
    ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      data.putFloat(v);
    }
    return raw(name, "F32", shape, data.array());
  }

  SafetensorsBytes f64(String name, long[] shape, double... values) {
    ByteBuffer data = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      data.putDouble(v);
    }
    return raw(name, "F64", shape, data.array());
  }

  /** 16-bit values given as raw bits, for F16 and BF16. */
  SafetensorsBytes bits16(String name, String dtype, long[] shape, int... bits) {
    ByteBuffer data = ByteBuffer.allocate(2 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int b : bits) {
      data.putShort((short) b);
    }
    return raw(name, dtype, shape, data.array());
  }

  SafetensorsBytes i64(String name, long... values) {
    ByteBuffer data = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      data.putLong(v);
    }
    return raw(name, "I64", new long[] {values.length}, data.array());
  }

  SafetensorsBytes raw(String name, String dtype, long[] shape, byte[] data) {
    entries.add(new Entry(name, dtype, shape, data));
    return this;
  }

  SafetensorsBytes metadata(String json) {
    metadata = json;
    return this;
  }

  /** The header JSON with offsets laid out contiguously. */
  String header() {
    List<String> parts = new ArrayList<>();
    if (!metadata.isEmpty()) {
      parts.add("\"__metadata__\":" + metadata);
    }
    long offset = 0;
    for (Entry e : entries) {
      String shape = LongStream.of(e.shape()).mapToObj(Long::toString)
          .collect(Collectors.joining(",", "[", "]"));
      parts.add("\"" + e.name() + "\":{\"dtype\":\"" + e.dtype() + "\",\"shape\":" + shape
          + ",\"data_offsets\":[" + offset + "," + (offset + e.data().length) + "]}");
      offset += e.data().length;
    }
    return "{" + String.join(",", parts) + "}";
  }

  byte[] data() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    entries.forEach(e -> out.writeBytes(e.data()));
    return out.toByteArray();
  }

  byte[] bytes() {
    return file(header().getBytes(StandardCharsets.UTF_8), data());
  }

  /** A file of the given header (length prefix computed) and data. */
  static byte[] file(byte[] header, byte[] data) {
    ByteBuffer file = ByteBuffer.allocate(8 + header.length + data.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    file.putLong(header.length).put(header).put(data);
    return file.array();
  }

  static byte[] file(String header, byte[] data) {
    return file(header.getBytes(StandardCharsets.UTF_8), data);
  }

  Path write(Path path) throws IOException {
    return Files.write(path, bytes());
  }
}
