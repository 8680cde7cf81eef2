package dev.netspec.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CIFAR-10 and CIFAR-100 from small files written here in their binary format. */
class CifarTest {
  @TempDir Path temp;

  /** A record: label byte(s), then 1024 red, 1024 green, 1024 blue bytes. */
  private static byte[] record(int[] labels, int seed) {
    byte[] r = new byte[labels.length + 3072];
    for (int i = 0; i < labels.length; i++) {
      r[i] = (byte) labels[i];
    }
    for (int i = 0; i < 3072; i++) {
      r[labels.length + i] = (byte) ((i * 7 + seed * 13) & 0xff);
    }
    return r;
  }

  private static void write(Path file, List<byte[]> records) throws IOException {
    int size = records.stream().mapToInt(r -> r.length).sum();
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] r : records) {
      System.arraycopy(r, 0, all, at, r.length);
      at += r.length;
    }
    Files.write(file, all);
  }

  private Path cifar10() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("cifar-10-batches-bin"));
    for (int b = 1; b <= 5; b++) {
      List<byte[]> records = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        records.add(record(new int[] {(b * 3 + i) % 10}, b * 3 + i));
      }
      write(dir.resolve("data_batch_" + b + ".bin"), records);
    }
    write(dir.resolve("test_batch.bin"), List.of(record(new int[] {9}, 100),
        record(new int[] {4}, 101)));
    Files.writeString(dir.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\n"
        + "dog\nfrog\nhorse\nship\ntruck\n\n");
    return dir;
  }

  @Test
  void cifar10RecordsBecomeLabelledHwcImages() throws IOException {
    cifar10();
    DataSplits data = Cifar.load(temp, Cifar.Variant.CIFAR10); // the parent folder also works
    assertEquals(15, data.train().size());
    assertEquals(2, data.validation().size());
    assertEquals("truck", data.train().classNames().get(9));
    assertEquals(3, data.train().label(0)); // batch 1, record 0: (3 + 0) % 10
    assertEquals(4, data.validation().label(1));
    Image image = data.train().image(0);
    assertEquals("32x32x3", image.shape());
    // pixel (y, x) channel c was byte c·1024 + y·32 + x of the record
    int y = 5;
    int x = 9;
    for (int c = 0; c < 3; c++) {
      int i = c * 1024 + y * 32 + x;
      assertEquals(((i * 7 + 3 * 13) & 0xff) / 255f, image.get(y, x, c), 1e-7);
    }
  }

  @Test
  void cifar100UsesTheFineLabel() throws IOException {
    Path dir = Files.createDirectories(temp.resolve("cifar-100-binary"));
    write(dir.resolve("train.bin"), List.of(record(new int[] {3, 87}, 1),
        record(new int[] {19, 5}, 2)));
    write(dir.resolve("test.bin"), List.of(record(new int[] {0, 99}, 3)));
    DataSplits data = Cifar.load(dir, Cifar.Variant.CIFAR100);
    assertEquals(100, data.train().classes());
    assertEquals(87, data.train().label(0));
    assertEquals(5, data.train().label(1));
    assertEquals(99, data.validation().label(0));
  }

  @Test
  void missingTruncatedAndForeignFilesAreRefusedByName() throws IOException {
    Path dir = cifar10();
    Path third = dir.resolve("data_batch_3.bin");
    byte[] bytes = Files.readAllBytes(third);
    Files.write(third, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Cifar.load(dir, Cifar.Variant.CIFAR10));
    assertTrue(e.getMessage().contains("data_batch_3.bin has 9,119 bytes, not a whole number of "
        + "3,073-byte CIFAR-10 records: is it truncated?"), e.getMessage());

    Files.write(third, bytes);
    Files.delete(dir.resolve("data_batch_5.bin"));
    e = assertThrows(IllegalArgumentException.class, () -> Cifar.load(dir, Cifar.Variant.CIFAR10));
    assertTrue(e.getMessage().startsWith("missing CIFAR-10 file " + dir.resolve("data_batch_5.bin")),
        e.getMessage());

    e = assertThrows(IllegalArgumentException.class,
        () -> Cifar.load(temp.resolve("nowhere"), Cifar.Variant.CIFAR10));
    assertTrue(e.getMessage().contains("no CIFAR-10 folder at"), e.getMessage());

    Path hundred = Files.createDirectories(temp.resolve("c100"));
    write(hundred.resolve("data_batch_1.bin"), List.of(record(new int[] {42}, 1)));
    for (int b = 2; b <= 5; b++) {
      write(hundred.resolve("data_batch_" + b + ".bin"), List.of(record(new int[] {1}, b)));
    }
    write(hundred.resolve("test_batch.bin"), List.of(record(new int[] {1}, 9)));
    e = assertThrows(IllegalArgumentException.class,
        () -> Cifar.load(hundred, Cifar.Variant.CIFAR10));
    assertTrue(e.getMessage().contains("has label 42, but CIFAR-10 has 10 classes"),
        e.getMessage());
  }
}
