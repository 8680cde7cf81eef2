package dev.netspec.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class SafeTensorsTest {
  @TempDir Path temp;

  @Test
  void tensorsAndMetadataRoundTripInTheSafetensorsLayout() throws Exception {
    Path file = temp.resolve("t.safetensors");
    Map<String, TFloat32> tensors = new LinkedHashMap<>();
    tensors.put("conv.weight", TFloat32.tensorOf(Shape.of(2, 3),
        DataBuffers.of(new float[] {1, 2, 3, 4, 5, -6.5f}, true, false)));
    tensors.put("scalar", TFloat32.scalarOf(7f));
    try {
      SafeTensors.write(file, Map.of("epoch", "3"), tensors);
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
    // the layout: u64 little-endian header size, a JSON header padded to 8 bytes, then data
    byte[] bytes = Files.readAllBytes(file);
    long headerSize = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerSize % 8);
    String header = new String(bytes, 8, (int) headerSize, StandardCharsets.UTF_8);
    assertTrue(header.contains("\"conv.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],"
        + "\"data_offsets\":[0,24]}"), header);
    assertEquals(8 + headerSize + 28, bytes.length);

    SafeTensors read = SafeTensors.open(file);
    assertEquals(Map.of("epoch", "3"), read.metadata());
    assertEquals(List.of("conv.weight", "scalar"), read.names());
    try (TFloat32 w = read.read("conv.weight"); TFloat32 s = read.read("scalar")) {
      assertEquals(Shape.of(2, 3), w.shape());
      float[] values = new float[6];
      w.copyTo(DataBuffers.of(values, false, false));
      assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, values);
      assertEquals(7f, s.getFloat());
    }
  }

  @Test
  void truncatedMissingAndForeignFilesAreRefusedByName() throws Exception {
    Path file = temp.resolve("t.safetensors");
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(100))) {
      SafeTensors.write(file, Map.of(), Map.of("x", t));
    }
    byte[] bytes = Files.readAllBytes(file);
    Path cut = Files.write(temp.resolve("cut.safetensors"), Arrays.copyOf(bytes, bytes.length - 9));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SafeTensors.open(cut));
    assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("truncated"),
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> SafeTensors.open(temp.resolve("none.safetensors")));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());

    Path text = Files.writeString(temp.resolve("notes.safetensors"), "hello, not tensors");
    e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.open(text));
    assertTrue(e.getMessage().contains("notes.safetensors") && e.getMessage().contains("header"),
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.open(file));
    assertTrue(e.getMessage().contains("not a netspec checkpoint"), e.getMessage());
  }
}
