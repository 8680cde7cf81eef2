package dev.netspec.runtime.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes image files or their bytes (PNG, JPEG, BMP, GIF) with ImageIO within a pixel budget, whatever their
 * headers claim. The width and height are read from the header first: an image with a side above
 * {@link #MAX_SIDE} is refused, and one of more than {@link #PIXEL_BUDGET} pixels is decoded
 * subsampled (every k-th pixel of every k-th row, k the smallest step that brings it within the
 * budget). A 20000 × 20000 PNG of one colour is a 1 MB file; decoded whole as floats it would
 * need 4.8 GB.
 */
final class ImageDecoder {
  /** The most pixels an image is decoded at: 4096 × 4096. Larger ones are subsampled. */
  static final long PIXEL_BUDGET = 1L << 24;

  /** The longest side read at all: JPEG's own limit, and ImageIO holds whole rows. */
  static final int MAX_SIDE = 65_535;

  private ImageDecoder() {}

  /** An ImageIO step that may fail on a malformed file. */
  private interface Step<T> {
    T run() throws IOException;
  }

  /**
   * Decodes {@code file} into an image of {@code channels} channels, subsampled to {@code budget}
   * pixels at most.
   *
   * @throws IllegalArgumentException naming the file when it cannot be decoded, has a side above
   *     {@link #MAX_SIDE} or another number of channels
   */
  static Image read(Path file, int channels, long budget) {
    return read(file.toString(), () -> ImageIO.createImageInputStream(file.toFile()), channels,
        budget);
  }

  /**
   * Decodes the encoded image {@code bytes} (a file's content), named {@code name} in messages,
   * as {@link #read(Path, int, long)} decodes a file.
   */
  static Image read(byte[] bytes, String name, int channels, long budget) {
    return read(name, () -> new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)),
        channels, budget);
  }

  private static Image read(String file, Step<ImageInputStream> open, int channels,
      long budget) {
    ImageInputStream input = decoding(file, open);
    if (input == null) {
      throw new IllegalArgumentException("cannot decode " + file + ": it cannot be opened");
    }
    try (input) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("cannot decode " + file
            + ": not an image format ImageIO reads (PNG, JPEG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, false, true); // the PNG reader seeks back for the palette
        int width = decoding(file, () -> reader.getWidth(0));
        int height = decoding(file, () -> reader.getHeight(0));
        if (width > MAX_SIDE || height > MAX_SIDE) {
          throw new IllegalArgumentException(String.format(Locale.ROOT, "%s is %dx%d pixels; "
              + "netspec reads images of at most %d pixels a side: downscale it first", file,
              width, height, MAX_SIDE));
        }
        ImageTypeSpecifier type = decoding(file, () -> reader.getRawImageType(0));
        if (type != null) { // known before decoding for most files: refuse without decoding
          checkChannels(file, type.getColorModel().getNumComponents(), channels);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsampling(width, height, budget);
        param.setSourceSubsampling(step, step, 0, 0);
        BufferedImage decoded = decoding(file, () -> reader.read(0, param));
        checkChannels(file, decoded.getColorModel().getNumComponents(), channels);
        return pixels(decoded, channels);
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot decode " + file + ": " + e.getMessage(), e);
    }
  }

  /** The smallest step k such that every k-th pixel of every k-th row is within {@code budget}. */
  static int subsampling(int width, int height, long budget) {
    int step = 1;
    while ((long) ceilDiv(width, step) * ceilDiv(height, step) > budget) {
      step++;
    }
    return step;
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  /** Runs {@code step}, turning what a malformed file makes ImageIO throw into one message. */
  private static <T> T decoding(String file, Step<T> step) {
    try {
      return step.run();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot decode " + file + ": " + e.getMessage(), e);
    }
  }

  private static void checkChannels(String file, int found, int channels) {
    if (found != channels) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s has %d channel%s (%s); the network takes %d (%s): convert the image, e.g. "
              + "`convert in.png -alpha off -colorspace %s out.png`",
          file, found, found == 1 ? "" : "s", kind(found), channels, kind(channels),
          channels == 1 ? "Gray" : "sRGB -type TrueColor"));
    }
  }

  /** Floats in [0, 1], a row at a time so that no second whole-image copy is made. */
  private static Image pixels(BufferedImage decoded, int channels) {
    int h = decoded.getHeight();
    int w = decoded.getWidth();
    float[] pixels = new float[Math.multiplyExact(Math.multiplyExact(h, w), channels)];
    if (channels == 3) {
      int[] rgb = new int[w];
      for (int y = 0; y < h; y++) {
        decoded.getRGB(0, y, w, 1, rgb, 0, w);
        int at = y * w * 3;
        for (int x = 0; x < w; x++) {
          pixels[at + x * 3] = ((rgb[x] >> 16) & 0xff) / 255f;
          pixels[at + x * 3 + 1] = ((rgb[x] >> 8) & 0xff) / 255f;
          pixels[at + x * 3 + 2] = (rgb[x] & 0xff) / 255f;
        }
      }
    } else {
      Raster raster = decoded.getRaster();
      int bits = decoded.getColorModel().getComponentSize(0);
      float max = (1 << bits) - 1;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          pixels[y * w + x] = raster.getSample(x, y, 0) / max;
        }
      }
    }
    return new Image(h, w, channels, pixels);
  }

  private static String kind(int channels) {
    return switch (channels) {
      case 1 -> "grayscale";
      case 2 -> "grayscale with alpha";
      case 3 -> "RGB";
      case 4 -> "RGB with alpha";
      default -> channels + " components";
    };
  }
}
