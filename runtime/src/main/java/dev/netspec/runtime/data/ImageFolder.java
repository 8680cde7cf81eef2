package dev.netspec.runtime.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Images in a folder per class, decoded with ImageIO (PNG, JPEG, BMP, GIF), torchvision's {@code
 * ImageFolder} layout: {@code root/train/<class>/*.png} and {@code root/val/<class>/*.png}, or
 * {@code root/<class>/*.png} split by a fraction. Classes are the training folders' names, sorted.
 * Images are decoded when read, on the loader's threads.
 */
public final class ImageFolder implements Dataset {
  private static final List<String> EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

  private final String description;
  private final List<String> classNames;
  private final List<Path> files;
  private final int[] labels;
  private final int channels;

  private ImageFolder(String description, List<String> classNames, List<Path> files, int[] labels,
      int channels) {
    this.description = description;
    this.classNames = classNames;
    this.files = files;
    this.labels = labels;
    this.channels = channels;
  }

  /**
   * Lists the images under {@code root}: {@code train/} and {@code val/} (or {@code validation/})
   * when present, else every class folder split so that {@code validationFraction} of each class
   * (drawn from {@code seed}) validates.
   *
   * @param channels the channels every image must have (the network's input channels)
   */
  public static DataSplits load(Path root, int channels, double validationFraction, long seed) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("no image folder at " + root
          + ": expected a folder per class, or train/ and val/ folders of class folders");
    }
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("image folders hold grayscale (1) or RGB (3) images; the "
          + "network takes " + channels + " channels");
    }
    Path train = root.resolve("train");
    Path val = Files.isDirectory(root.resolve("val")) ? root.resolve("val")
        : root.resolve("validation");
    if (Files.isDirectory(train) && Files.isDirectory(val)) {
      List<String> classes = classFolders(train);
      return new DataSplits(list(train, classes, channels, "training"),
          list(val, classes, channels, "validation"));
    }
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException("the validation fraction must be in (0, 1), got "
          + validationFraction);
    }
    List<String> classes = classFolders(root);
    List<Path> trainFiles = new ArrayList<>();
    List<Integer> trainLabels = new ArrayList<>();
    List<Path> valFiles = new ArrayList<>();
    List<Integer> valLabels = new ArrayList<>();
    for (int label = 0; label < classes.size(); label++) {
      List<Path> images = images(root.resolve(classes.get(label)));
      int[] order = Shuffle.permutation(images.size(), new SplittableRandom(seed + label));
      int held = (int) Math.ceil(images.size() * validationFraction);
      for (int i = 0; i < order.length; i++) {
        boolean validation = i < held && images.size() > 1;
        (validation ? valFiles : trainFiles).add(images.get(order[i]));
        (validation ? valLabels : trainLabels).add(label);
      }
    }
    return new DataSplits(
        of(root + " (training split)", classes, trainFiles, trainLabels, channels),
        of(root + " (validation split, " + validationFraction + ")", classes, valFiles, valLabels,
            channels));
  }

  private static ImageFolder list(Path dir, List<String> classes, int channels, String split) {
    List<Path> files = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int label = 0; label < classes.size(); label++) {
      Path classDir = dir.resolve(classes.get(label));
      if (Files.isDirectory(classDir)) {
        for (Path file : images(classDir)) {
          files.add(file);
          labels.add(label);
        }
      }
    }
    return of(dir + " (" + split + ")", classes, files, labels, channels);
  }

  private static ImageFolder of(String where, List<String> classes, List<Path> files,
      List<Integer> labels, int channels) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no images (" + String.join(", ", EXTENSIONS) + ") in "
          + where);
    }
    String description = String.format(Locale.ROOT, "image folder %s: %,d images in %d classes",
        where, files.size(), classes.size());
    return new ImageFolder(description, classes, List.copyOf(files),
        labels.stream().mapToInt(Integer::intValue).toArray(), channels);
  }

  private static List<String> classFolders(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      List<String> classes = entries.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
      if (classes.isEmpty()) {
        throw new IllegalArgumentException("no class folders in " + dir
            + ": expected one folder of images per class");
      }
      return classes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> images(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(Files::isRegularFile).filter(ImageFolder::isImage).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int label(int index) {
    return labels[index];
  }

  /** The file of image {@code index}. */
  public Path file(int index) {
    return files.get(index);
  }

  @Override
  public Image image(int index) {
    return read(files.get(index), channels);
  }

  /**
   * Decodes {@code file} into an image of {@code channels} channels. The header is read first:
   * an image of more than 16 megapixels (4096 × 4096) is decoded subsampled to fit them, one with
   * a side above 65,535 pixels is refused.
   *
   * @throws IllegalArgumentException naming the file when it cannot be decoded, is too large or
   *     has another number of channels
   */
  public static Image read(Path file, int channels) {
    return ImageDecoder.read(file, channels, ImageDecoder.PIXEL_BUDGET);
  }

  /**
   * Decodes the encoded image {@code bytes} (a file's whole content, as a table of images holds
   * it) as {@link #read(Path, int)} decodes a file.
   *
   * @param name what messages call the image: its path, where it has one
   * @throws IllegalArgumentException naming it when it cannot be decoded, is too large or has
   *     another number of channels
   */
  public static Image decode(byte[] bytes, String name, int channels) {
    return ImageDecoder.read(bytes, name, channels, ImageDecoder.PIXEL_BUDGET);
  }

  @Override
  public String describe() {
    return description;
  }
}
