package dev.netspec.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.TinyNet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

/**
 * Mutated files (flipped bytes, truncations, wrong lengths, edited header text) never crash,
 * never exhaust memory and never load halfway: each either reads consistently or is refused with
 * a SafetensorsFormatException (or an IOException), and a refused import leaves the model as it
 * was.
 */
class SafetensorsFuzzTest {
  private static final int CASES = 1000;
  private static final String TOKENS = "{}[]\",:-.0123456789eE FIU\u00ff";

  @TempDir Path dir;

  static byte[] tinyNetFile() {
    SplittableRandom random = new SplittableRandom(1);
    return new SafetensorsBytes()
        .metadata("{\"format\":\"pt\"}")
        .f32("conv.conv.weight", new long[] {4, 3, 3, 3}, floats(random, 108))
        .f32("conv.bn.weight", new long[] {4}, floats(random, 4))
        .f32("conv.bn.bias", new long[] {4}, floats(random, 4))
        .f32("conv.bn.running_mean", new long[] {4}, floats(random, 4))
        .bits16("conv.bn.running_var", "F16", new long[] {4}, 0x3c00, 0x3e00, 0x3800, 0x4000)
        .i64("conv.bn.num_batches_tracked", 7)
        .f64("fc.weight", new long[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8)
        .bits16("fc.bias", "BF16", new long[] {2}, 0x3f80, 0xbf80)
        .bytes();
  }

  private static float[] floats(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  @Test
  void mutatedFilesAreReadConsistentlyOrRefusedAndNeverHalfLoaded() throws IOException {
    byte[] base = tinyNetFile();
    int headerEnd = 8 + (int) ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    SplittableRandom random = new SplittableRandom(20261124);
    int refused = 0;
    int loaded = 0;
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 3L)) {
      Map<String, float[]> before = values(model);
      Path path = dir.resolve("fuzz.safetensors");
      for (int i = 0; i < CASES; i++) {
        byte[] mutated = mutate(base, headerEnd, random);
        Files.write(path, mutated);
        try {
          readEverything(path);
        } catch (SafetensorsFormatException | IOException e) {
          refused++; // refused before any import could start
          continue;
        } catch (RuntimeException | Error e) {
          fail("case " + i + " (" + describe(mutated, headerEnd) + ") threw " + e, e);
        }
        try {
          WeightImport.withRules(NameRules.identity()).into(model, path);
          loaded++;
          before = values(model);
        } catch (SafetensorsFormatException | WeightImportException | IOException e) {
          refused++;
          Map<String, float[]> after = values(model);
          for (String name : before.keySet()) {
            assertArrayEquals(before.get(name), after.get(name),
                "case " + i + ": a refused import changed " + name + " (" + e.getMessage() + ")");
          }
        } catch (RuntimeException | Error e) {
          fail("case " + i + " (" + describe(mutated, headerEnd) + ") threw " + e, e);
        }
      }
    }
    assertEquals(CASES, refused + loaded);
    // the mutations must exercise both outcomes
    org.junit.jupiter.api.Assertions.assertTrue(refused > CASES / 4 && loaded > 10,
        "refused " + refused + ", loaded " + loaded);
  }

  private static void readEverything(Path path) throws IOException {
    try (SafetensorsFile file = SafetensorsFile.open(path)) {
      for (String name : file.names()) {
        if (file.unreadable(name).isEmpty()) {
          float[] values = file.read(name);
          assertEquals(file.shape(name).size(), values.length, name);
        }
      }
    }
  }

  private static Map<String, float[]> values(Model<?> model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    Map<String, TFloat32> all = model.readAll();
    try {
      all.forEach((name, t) -> {
        float[] v = new float[(int) t.shape().size()];
        t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
        values.put(name, v);
      });
    } finally {
      all.values().forEach(TFloat32::close);
    }
    return values;
  }

  private static byte[] mutate(byte[] base, int headerEnd, SplittableRandom random) {
    byte[] bytes = base.clone();
    switch (random.nextInt(7)) {
      case 0 -> { // flip bits anywhere
        for (int k = 1 + random.nextInt(4); k > 0; k--) {
          bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length)); // truncate
      case 2 -> { // another header length
        long length = random.nextBoolean() ? random.nextLong()
            : headerEnd - 8 + random.nextInt(-16, 17);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
      }
      case 3 -> { // replace one header character by a JSON-ish token
        int at = 8 + random.nextInt(headerEnd - 8);
        bytes[at] = (byte) TOKENS.charAt(random.nextInt(TOKENS.length()));
      }
      case 4 -> { // change one digit of the header: shapes and offsets
        int at = 8 + random.nextInt(headerEnd - 8);
        for (int k = at; k < headerEnd; k++) {
          if (Character.isDigit(bytes[k])) {
            bytes[k] = (byte) ('0' + random.nextInt(10));
            break;
          }
        }
      }
      case 5 -> { // append bytes
        bytes = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(64));
      }
      default -> { // flip bits in the data only: a file that must still load
        int at = headerEnd + random.nextInt(bytes.length - headerEnd);
        bytes[at] ^= (byte) (1 << random.nextInt(8));
      }
    }
    return bytes;
  }

  private static String describe(byte[] bytes, int headerEnd) {
    int end = Math.min(bytes.length, headerEnd);
    return bytes.length + " bytes, header " + new String(bytes, 8 > end ? 0 : 8,
        Math.max(0, end - 8), java.nio.charset.StandardCharsets.UTF_8);
  }
}
