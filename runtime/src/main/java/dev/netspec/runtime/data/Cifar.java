package dev.netspec.runtime.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CIFAR-10 and CIFAR-100 in their binary versions ({@code cifar-10-batches-bin}: {@code
 * data_batch_1.bin} … {@code data_batch_5.bin}, {@code test_batch.bin}, {@code
 * batches.meta.txt}; {@code cifar-100-binary}: {@code train.bin}, {@code test.bin}, {@code
 * fine_label_names.txt}). A record is the label byte(s), then 1024 red, 1024 green and 1024 blue
 * bytes of a 32×32 image; the test set is the validation split.
 */
public final class Cifar implements Dataset {
  static final int SIDE = 32;
  static final int PIXELS = SIDE * SIDE * 3;

  /** Which CIFAR. */
  public enum Variant {
    CIFAR10("CIFAR-10", 1, 10,
        List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
            "data_batch_5.bin"), "test_batch.bin", "batches.meta.txt", "cifar-10-batches-bin"),
    CIFAR100("CIFAR-100", 2, 100, List.of("train.bin"), "test.bin", "fine_label_names.txt",
        "cifar-100-binary");

    final String title;
    /** Label bytes per record; CIFAR-100's fine label is the second. */
    final int labelBytes;
    final int classes;
    final List<String> trainFiles;
    final String testFile;
    final String namesFile;
    final String folder;

    Variant(String title, int labelBytes, int classes, List<String> trainFiles, String testFile,
        String namesFile, String folder) {
      this.title = title;
      this.labelBytes = labelBytes;
      this.classes = classes;
      this.trainFiles = trainFiles;
      this.testFile = testFile;
      this.namesFile = namesFile;
      this.folder = folder;
    }

    int recordBytes() {
      return labelBytes + PIXELS;
    }
  }

  private final Variant variant;
  private final String split;
  private final Path directory;
  private final List<String> classNames;
  private final byte[] pixels;
  private final byte[] labels;

  private Cifar(Variant variant, String split, Path directory, List<String> classNames,
      byte[] pixels, byte[] labels) {
    this.variant = variant;
    this.split = split;
    this.directory = directory;
    this.classNames = classNames;
    this.pixels = pixels;
    this.labels = labels;
  }

  /**
   * Loads both splits from {@code directory} (the extracted folder, or its parent).
   *
   * @throws IllegalArgumentException naming the file at fault when one is missing, truncated or
   *     holds labels out of range
   */
  public static DataSplits load(Path directory, Variant variant) {
    Path dir = locate(directory, variant);
    List<String> names = classNames(dir, variant);
    Cifar train = read(dir, variant, "training", variant.trainFiles, names);
    Cifar test = read(dir, variant, "validation (test)", List.of(variant.testFile), names);
    return new DataSplits(train, test);
  }

  private static Path locate(Path directory, Variant variant) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("no " + variant.title + " folder at " + directory
          + ": expected the extracted binary version (" + variant.folder + ")");
    }
    Path first = directory.resolve(variant.trainFiles.get(0));
    Path nested = directory.resolve(variant.folder);
    if (!Files.exists(first) && Files.isDirectory(nested)) {
      return nested;
    }
    return directory;
  }

  private static List<String> classNames(Path dir, Variant variant) {
    Path file = dir.resolve(variant.namesFile);
    List<String> names = new ArrayList<>();
    if (Files.isRegularFile(file)) {
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            names.add(line.trim());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    if (names.size() != variant.classes) {
      names.clear();
      for (int i = 0; i < variant.classes; i++) {
        names.add("class " + i);
      }
    }
    return List.copyOf(names);
  }

  private static Cifar read(Path dir, Variant variant, String split, List<String> files,
      List<String> names) {
    int record = variant.recordBytes();
    long total = 0;
    for (String name : files) {
      Path file = dir.resolve(name);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("missing " + variant.title + " file " + file
            + ": the binary version has " + String.join(", ", variant.trainFiles) + " and "
            + variant.testFile);
      }
      long size = size(file);
      if (size == 0 || size % record != 0) {
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "%s has %,d bytes, not a whole number of %,d-byte %s records: is it truncated? "
                + "(%,d records and %,d bytes over)", file, size, record, variant.title,
            size / record, size % record));
      }
      total += size / record;
    }
    int count = Math.toIntExact(total);
    byte[] pixels = new byte[count * PIXELS];
    byte[] labels = new byte[count];
    int at = 0;
    for (String name : files) {
      Path file = dir.resolve(name);
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
      for (int r = 0; r < bytes.length / record; r++, at++) {
        int base = r * record;
        int label = bytes[base + variant.labelBytes - 1] & 0xff;
        if (label >= variant.classes) {
          throw new IllegalArgumentException(file + ": record " + r + " has label " + label
              + ", but " + variant.title + " has " + variant.classes + " classes: is it "
              + (variant == Variant.CIFAR10 ? "CIFAR-100" : "CIFAR-10") + "?");
        }
        labels[at] = (byte) label;
        // planar RGB (1024 R, 1024 G, 1024 B) to interleaved HWC
        int plane = SIDE * SIDE;
        for (int p = 0; p < plane; p++) {
          for (int c = 0; c < 3; c++) {
            pixels[at * PIXELS + p * 3 + c] = bytes[base + variant.labelBytes + c * plane + p];
          }
        }
      }
    }
    return new Cifar(variant, split, dir, names, pixels, labels);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int channels() {
    return 3;
  }

  @Override
  public int label(int index) {
    return labels[index] & 0xff;
  }

  @Override
  public Image image(int index) {
    return Image.ofBytes(SIDE, SIDE, 3, pixels, index * PIXELS);
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%s %s split, %,d images in %d classes from %s",
        variant.title, split, size(), classNames.size(), directory);
  }
}
