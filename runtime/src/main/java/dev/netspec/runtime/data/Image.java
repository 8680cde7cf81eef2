package dev.netspec.runtime.data;

import java.util.Objects;

/**
 * An image as floats in [0, 1], height × width × channels in row-major (HWC) order: the layout of
 * one image of an NHWC batch.
 */
public record Image(int height, int width, int channels, float[] pixels) {

  public Image {
    Objects.requireNonNull(pixels, "pixels");
    if (height < 1 || width < 1 || channels < 1) {
      throw new IllegalArgumentException(
          "an image needs positive sides and channels, got " + height + "x" + width + "x" + channels);
    }
    if (pixels.length != (long) height * width * channels) {
      throw new IllegalArgumentException("a " + height + "x" + width + "x" + channels
          + " image has " + (long) height * width * channels + " values, got " + pixels.length);
    }
  }

  /** An image from bytes 0..255 in HWC order. */
  public static Image ofBytes(int height, int width, int channels, byte[] bytes, int offset) {
    float[] pixels = new float[height * width * channels];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (bytes[offset + i] & 0xff) / 255f;
    }
    return new Image(height, width, channels, pixels);
  }

  public float get(int y, int x, int c) {
    return pixels[(y * width + x) * channels + c];
  }

  /** "32x32x3". */
  public String shape() {
    return height + "x" + width + "x" + channels;
  }
}
