package dev.netspec.runtime.data;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Part {@code index} of {@code count} of a dataset, as one worker of a data-parallel run reads
 * it: the images at positions {@code index, index + count, ...} of a permutation drawn from the
 * seed, so that every part has the same classes in the same proportions on average. Every part
 * has {@code size / count} images (the last {@code size % count} of the permutation are left
 * out): workers that step together must have as many batches each.
 */
public final class Shard implements Dataset {
  private final Dataset data;
  private final int index;
  private final int count;
  private final int[] images;

  private Shard(Dataset data, int index, int count, long seed) {
    this.data = data;
    this.index = index;
    this.count = count;
    int[] order = Shuffle.permutation(data.size(), Shuffle.stream(seed, 0x5AA4D, count));
    images = new int[data.size() / count];
    for (int i = 0; i < images.length; i++) {
      images[i] = order[i * count + index];
    }
  }

  /**
   * Part {@code index} (0-based) of {@code count} of {@code data}.
   *
   * @throws IllegalArgumentException when the index is out of range or a part would be empty
   */
  public static Dataset of(Dataset data, int index, int count, long seed) {
    Objects.requireNonNull(data, "data");
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("part " + index + " of " + count + " does not exist");
    }
    if (count == 1) {
      return data;
    }
    if (data.size() < count) {
      throw new IllegalArgumentException(data.describe() + " has " + data.size()
          + " images, fewer than the " + count + " workers that share it");
    }
    return new Shard(data, index, count, seed);
  }

  @Override
  public int size() {
    return images.length;
  }

  @Override
  public List<String> classNames() {
    return data.classNames();
  }

  @Override
  public int channels() {
    return data.channels();
  }

  @Override
  public int label(int i) {
    return data.label(images[i]);
  }

  @Override
  public Image image(int i) {
    return data.image(images[i]);
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%s, part %d of %d (%,d images)", data.describe(),
        index + 1, count, images.length);
  }
}
