package dev.netspec.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;

class SafetensorsFileTest {
  @TempDir Path dir;

  private Path write(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(dir, "t", ".safetensors"), bytes);
  }

  private SafetensorsFormatException refused(byte[] bytes) throws IOException {
    Path path = write(bytes);
    return assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(path).close());
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' lacks '" + part + "'");
    }
  }

  @Test
  void readsEveryFloatTypeAsFloat32() throws IOException {
    Path path = new SafetensorsBytes()
        .metadata("{\"format\":\"pt\"}")
        .f32("a.weight", new long[] {2, 3}, 1, -2, 3.5f, 0, 1e-30f, Float.MAX_VALUE)
        .f64("b", new long[] {2}, Math.PI, -1e300)
        // F16: 1.0, -2.0, 65504 (max), 2^-24 (smallest subnormal), -0.0, +inf
        .bits16("c", "F16", new long[] {6}, 0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00)
        // BF16: 1.0, -3.0, 1.5 · 2^100
        .bits16("d", "BF16", new long[] {3}, 0x3f80, 0xc040, 0x71c0)
        .i64("e.num_batches_tracked", 42)
        .f32("scalar", new long[] {}, 7f)
        .f32("empty", new long[] {0, 5})
        .write(dir.resolve("ok.safetensors"));
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      assertEquals(List.of("a.weight", "b", "c", "d", "e.num_batches_tracked", "scalar", "empty"),
          file.names());
      assertEquals(Map.of("format", "pt"), file.metadata());
      assertEquals(Shape.of(2, 3), file.shape("a.weight"));
      assertArrayEquals(new float[] {1, -2, 3.5f, 0, 1e-30f, Float.MAX_VALUE}, file.read("a.weight"));
      assertArrayEquals(new float[] {(float) Math.PI, Float.NEGATIVE_INFINITY}, file.read("b"));
      assertArrayEquals(new float[] {1, -2, 65504, 0x1p-24f, -0f, Float.POSITIVE_INFINITY},
          file.read("c"));
      assertArrayEquals(new float[] {1, -3, 1.5f * 0x1p100f}, file.read("d"));
      assertEquals(Shape.scalar(), file.shape("scalar"));
      assertArrayEquals(new float[] {7}, file.read("scalar"));
      assertArrayEquals(new float[0], file.read("empty"));
      assertTrue(file.unreadable("e.num_batches_tracked").isPresent());
      SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
          () -> file.read("e.num_batches_tracked"));
      assertMentions(e, "e.num_batches_tracked", "I64", "F32, F16, BF16 and F64");
      assertThrows(IllegalArgumentException.class, () -> file.read("nope"));
    }
  }

  @Test
  void everyHalfPrecisionValueConvertsExactly() {
    for (int bits = 0; bits < 0x10000; bits++) {
      float value = HalfFloats.halfToFloat((short) bits);
      int exponent = (bits >>> 10) & 0x1f;
      int mantissa = bits & 0x3ff;
      double expected = exponent == 0 ? mantissa * Math.pow(2, -24)
          : exponent == 31 ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
          : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
      if ((bits & 0x8000) != 0) {
        expected = -expected;
      }
      if (Double.isNaN(expected)) {
        assertTrue(Float.isNaN(value), "bits " + Integer.toHexString(bits));
      } else {
        assertEquals(expected, value, 0, "bits " + Integer.toHexString(bits));
      }
    }
  }

  @Test
  void readsAFileWhoseHeaderIsPaddedWithSpaces() throws IOException {
    SafetensorsBytes tensors = new SafetensorsBytes().f32("x", new long[] {1}, 2f);
    byte[] bytes = SafetensorsBytes.file(tensors.header() + "      ", tensors.data());
    try (SafetensorsFile file = SafetensorsFile.open(write(bytes))) {
      assertArrayEquals(new float[] {2f}, file.read("x"));
    }
  }

  @Test
  void refusesHeaderLengthsOutsideTheFileOrTheBound() throws IOException {
    assertMentions(refused(new byte[] {1, 2, 3}), "is 3 bytes long");
    for (long length : new long[] {0, 1, -1, Long.MIN_VALUE,
        SafetensorsFile.MAX_HEADER_BYTES + 1}) {
      ByteBuffer bytes = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
      bytes.putLong(length).put("{}              ".getBytes());
      assertMentions(refused(bytes.array()), "declares a header of", "at most 100 MB");
    }
    ByteBuffer cut = ByteBuffer.allocate(8 + 16).order(ByteOrder.LITTLE_ENDIAN);
    cut.putLong(1000).put("{}              ".getBytes());
    assertMentions(refused(cut.array()), ".safetensors is truncated (or not a .safetensors file):"
        + " its header length says 1000 bytes, and only 16 follow");
  }

  @Test
  void refusesHeadersThatAreNotTheFormsJson() throws IOException {
    byte[] none = new byte[0];
    assertMentions(refused(SafetensorsBytes.file(" {}", none)), "does not start with '{'");
    assertMentions(refused(SafetensorsBytes.file("{\"a\":", none)), "not valid JSON");
    assertMentions(refused(SafetensorsBytes.file("{}{}", none)), "more than one JSON value");
    assertMentions(refused(SafetensorsBytes.file("{\"a\":1}", none)), "tensor 'a'",
        "a JSON object");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"extra\":1}}",
        new byte[4])), "unknown key 'extra'");
    assertMentions(refused(SafetensorsBytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":[]}}",
        none)), "lacks data_offsets");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F99\",\"shape\":[],\"data_offsets\":[0,4]}}", new byte[4])),
        "unknown dtype 'F99'");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4])),
        "a.shape holds -1");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", new byte[4])),
        "a.shape must be an integer");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,4]}}",
        new byte[4])), "a.shape holds 99999999999999999999");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[[[[[[[[[[1]]]]]]]]]],\"data_offsets\":[0,4]}}",
        new byte[4])), "a.shape must be an integer");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"__metadata__\":{\"k\":1}}", none)), "__metadata__.k must be a string");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8])),
        "Duplicate field 'a'");
    byte[] notUtf8 = "{\"\u00e9\":{}}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertMentions(refused(SafetensorsBytes.file(notUtf8, none)), "not valid JSON");
    String deep = "{\"__metadata__\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    assertMentions(refused(SafetensorsBytes.file(deep, none)), "__metadata__");
  }

  @Test
  void refusesShapesThatDoNotMatchTheirBytes() throws IOException {
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8])),
        "needs 12 bytes", "span 8");
    assertMentions(refused(SafetensorsBytes.file("{\"a\":{\"dtype\":\"F32\",\"shape\":"
        + "[4294967296,4294967296],\"data_offsets\":[0,4]}}", new byte[4])), "overflows");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4])),
        "begin <= end");
  }

  @Test
  void refusesOffsetsThatOverlapLeaveGapsOrPassTheEnd() throws IOException {
    String one = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":";
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":" + one + "[0,8]},\"b\":" + one + "[4,12]}}", new byte[12])),
        "tensors 'a' and 'b' overlap");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":" + one + "[0,8]},\"b\":" + one + "[0,8]}}", new byte[8])), "overlap");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":" + one + "[4,12]}}", new byte[12])), "4 unused bytes before tensor 'a'");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":" + one + "[0,8]}}", new byte[4])), "is truncated", "past its end");
    assertMentions(refused(SafetensorsBytes.file(
        "{\"a\":" + one + "[0,8]}}", new byte[9])), "1 bytes after its last tensor");
  }

  @Test
  void refusesTensorsLargerThanAnArrayOrTheHeapWithoutAllocatingThem() throws IOException {
    // sparse files: the data is declared and present, but mostly holes on disk
    long huge = (1L << 31) + 16;
    Path tooManyElements = sparse("{\"a\":{\"dtype\":\"U8\",\"shape\":[" + huge
        + "],\"data_offsets\":[0," + huge + "]}}", huge);
    try (SafetensorsFile file = SafetensorsFile.open(tooManyElements)) {
      assertTrue(file.unreadable("a").isPresent());
    }
    long elements = Integer.MAX_VALUE - 16L;
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (4 * elements > maxHeap) {
      Path beyondHeap = sparse("{\"a\":{\"dtype\":\"F64\",\"shape\":[" + elements
          + "],\"data_offsets\":[0," + 8 * elements + "]}}", 8 * elements);
      try (SafetensorsFile file = SafetensorsFile.open(beyondHeap)) {
        SafetensorsFormatException e =
            assertThrows(SafetensorsFormatException.class, () -> file.read("a"));
        assertMentions(e, "tensor 'a' needs", "raise -Xmx");
      }
    }
  }

  private Path sparse(String header, long dataBytes) throws IOException {
    Path path = dir.resolve("sparse" + dataBytes + ".safetensors");
    byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
      file.write(prefix.array());
      file.write(h);
      file.setLength(8 + h.length + dataBytes);
    }
    return path;
  }
}
