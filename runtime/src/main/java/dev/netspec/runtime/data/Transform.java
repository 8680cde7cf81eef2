package dev.netspec.runtime.data;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Turns a dataset image into one network input of {@code height × width}: resizing, cropping
 * (random for training, central otherwise), a random horizontal flip for training, and
 * normalization.
 *
 * <ul>
 *   <li>An image already of the target size is, for training, zero-padded by {@code padding} on
 *       every side and randomly cropped back (the CIFAR recipe).
 *   <li>Any other image is resized (antialiased bilinear, as PIL and torchvision do) so that its
 *       shorter side is {@code resize}, then cropped to the target size.
 * </ul>
 *
 * @param resize the shorter side before cropping; at least the larger target side
 * @param padding the zero padding of same-size random crops; 0 = none
 */
public record Transform(int height, int width, int resize, int padding, boolean augment,
    boolean flip, Normalization normalization) {

  public Transform {
    Objects.requireNonNull(normalization, "normalization");
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException("the target size must be positive, got " + height + "x"
          + width);
    }
    if (resize < Math.max(height, width)) {
      throw new IllegalArgumentException("resize (" + resize + ") must be at least the target side "
          + Math.max(height, width));
    }
    if (padding < 0) {
      throw new IllegalArgumentException("padding must be >= 0, got " + padding);
    }
  }

  /**
   * For training: random crops (padding {@code size / 8} for same-size images, resize to {@code
   * 8/7} of the size otherwise) and flips.
   */
  public static Transform training(int height, int width, Normalization normalization) {
    return new Transform(height, width, defaultResize(height, width), Math.max(height, width) / 8,
        true, true, normalization);
  }

  /** For evaluation: central crops, no flips. */
  public static Transform evaluation(int height, int width, Normalization normalization) {
    return new Transform(height, width, defaultResize(height, width), 0, false, false,
        normalization);
  }

  private static int defaultResize(int height, int width) {
    return (int) Math.ceil(Math.max(height, width) * 8 / 7.0);
  }

  /** The values of one output image. */
  public int outputSize(int channels) {
    return height * width * channels;
  }

  /**
   * Writes the transformed {@code image} into {@code out} at {@code offset}, drawing from {@code
   * random} only when augmenting.
   */
  public void apply(Image image, SplittableRandom random, float[] out, int offset) {
    int c = image.channels();
    if (c != normalization.channels()) {
      throw new IllegalArgumentException("the normalization has " + normalization.channels()
          + " channels, the image " + c);
    }
    Image source = image;
    boolean sameSize = image.height() == height && image.width() == width;
    int top;
    int left;
    int pad = 0;
    if (sameSize) {
      pad = augment ? padding : 0;
      top = augment ? random.nextInt(2 * pad + 1) : pad;
      left = augment ? random.nextInt(2 * pad + 1) : pad;
    } else {
      source = Resample.shorterSide(image, resize);
      int spareH = source.height() - height;
      int spareW = source.width() - width;
      if (spareH < 0 || spareW < 0) {
        source = Resample.resize(source, Math.max(height, source.height()),
            Math.max(width, source.width()));
        spareH = source.height() - height;
        spareW = source.width() - width;
      }
      top = augment ? random.nextInt(spareH + 1) : spareH / 2;
      left = augment ? random.nextInt(spareW + 1) : spareW / 2;
    }
    boolean mirror = augment && flip && random.nextBoolean();
    float[] src = source.pixels();
    int srcW = source.width();
    for (int y = 0; y < height; y++) {
      int sy = y + top - pad;
      for (int x = 0; x < width; x++) {
        int sx = (mirror ? width - 1 - x : x) + left - pad;
        int o = offset + (y * width + x) * c;
        if (sy < 0 || sy >= source.height() || sx < 0 || sx >= srcW) {
          for (int k = 0; k < c; k++) {
            out[o + k] = 0f;
          }
        } else {
          System.arraycopy(src, (sy * srcW + sx) * c, out, o, c);
        }
      }
    }
    normalization.apply(out, offset, height * width * c);
  }
}
