package dev.netspec.runtime.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where a run's images come from, as checkpoints record it so that {@code evaluate} and {@code
 * --resume} open the same data.
 *
 * @param path the folder for CIFAR and image folders; null for synthetic data
 * @param seed the synthetic images and the image-folder split follow it
 * @param trainImages synthetic training images
 * @param validationImages synthetic validation images
 * @param validationFraction the share of an unsplit image folder that validates
 */
public record DataSource(Kind kind, Path path, long seed, int trainImages, int validationImages,
    double validationFraction) {

  /** The kinds of data. */
  public enum Kind {
    SYNTHETIC, CIFAR10, CIFAR100, FOLDER;

    /** "synthetic", "cifar10", …: the command line's and the metadata's name. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}. */
    public static Kind of(String id) {
      for (Kind kind : values()) {
        if (kind.id().equals(id)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown dataset '" + id
          + "': use synthetic, cifar10, cifar100 or folder");
    }
  }

  /** The synthetic images' side. */
  public static final int SYNTHETIC_SIDE = 32;

  public DataSource {
    Objects.requireNonNull(kind, "kind");
    if (kind != Kind.SYNTHETIC && path == null) {
      throw new IllegalArgumentException(kind.id() + " needs a folder (--data-dir)");
    }
  }

  /** Synthetic shapes. */
  public static DataSource synthetic(long seed, int trainImages, int validationImages) {
    return new DataSource(Kind.SYNTHETIC, null, seed, trainImages, validationImages, 0.1);
  }

  /**
   * Loads the data.
   *
   * @param channels the network's input channels
   */
  public DataSplits open(int channels) {
    return switch (kind) {
      case SYNTHETIC -> SyntheticShapes.generate(seed, trainImages, validationImages,
          SYNTHETIC_SIDE);
      case CIFAR10 -> Cifar.load(path, Cifar.Variant.CIFAR10);
      case CIFAR100 -> Cifar.load(path, Cifar.Variant.CIFAR100);
      case FOLDER -> ImageFolder.load(path, channels, validationFraction, seed);
    };
  }

  /** As strings for a checkpoint's metadata. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("data", kind.id());
    if (path != null) {
      m.put("data_dir", path.toAbsolutePath().toString());
    }
    m.put("data_seed", Long.toString(seed));
    m.put("synthetic_train_images", Integer.toString(trainImages));
    m.put("synthetic_validation_images", Integer.toString(validationImages));
    m.put("validation_fraction", Double.toString(validationFraction));
    return m;
  }

  /** Reads what {@link #toMetadata()} wrote. */
  public static DataSource fromMetadata(Map<String, String> m) {
    String kind = m.get("data");
    if (kind == null) {
      throw new IllegalArgumentException("the checkpoint does not say which data it was trained on");
    }
    try {
      return new DataSource(Kind.of(kind), m.containsKey("data_dir") ? Path.of(m.get("data_dir"))
          : null, Long.parseLong(m.getOrDefault("data_seed", "0")),
          Integer.parseInt(m.getOrDefault("synthetic_train_images", "0")),
          Integer.parseInt(m.getOrDefault("synthetic_validation_images", "0")),
          Double.parseDouble(m.getOrDefault("validation_fraction", "0.1")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the checkpoint's data description is malformed: "
          + e.getMessage(), e);
    }
  }

  /** "synthetic shapes (seed 1)", "cifar10 at /data/cifar-10-batches-bin". */
  public String describe() {
    return kind == Kind.SYNTHETIC ? "synthetic shapes (seed " + seed + ")"
        : kind.id() + " at " + path;
  }
}
