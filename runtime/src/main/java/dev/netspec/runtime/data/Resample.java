package dev.netspec.runtime.data;

/**
 * Antialiased bilinear resizing, as PIL's {@code BILINEAR} filter (and so torchvision's {@code
 * Resize}) computes it: a triangle filter widened by the scale factor when shrinking, applied
 * along each axis in turn.
 */
final class Resample {
  private Resample() {}

  /** Resizes so that the shorter side is {@code side}, keeping the aspect ratio. */
  static Image shorterSide(Image image, int side) {
    int h = image.height();
    int w = image.width();
    if (Math.min(h, w) == side) {
      return image;
    }
    if (h <= w) {
      return resize(image, side, Math.max(1, (int) Math.round((double) w * side / h)));
    }
    return resize(image, Math.max(1, (int) Math.round((double) h * side / w)), side);
  }

  static Image resize(Image image, int height, int width) {
    if (image.height() == height && image.width() == width) {
      return image;
    }
    int c = image.channels();
    float[] rows = new float[image.height() * width * c];
    // along the width
    Filter fx = new Filter(image.width(), width);
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < width; x++) {
        for (int k = 0; k < c; k++) {
          double sum = 0;
          for (int t = 0; t < fx.count[x]; t++) {
            int sx = fx.first[x] + t;
            sum += fx.weights[x][t] * image.pixels()[(y * image.width() + sx) * c + k];
          }
          rows[(y * width + x) * c + k] = (float) sum;
        }
      }
    }
    // along the height
    Filter fy = new Filter(image.height(), height);
    float[] out = new float[height * width * c];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        for (int k = 0; k < c; k++) {
          double sum = 0;
          for (int t = 0; t < fy.count[y]; t++) {
            int sy = fy.first[y] + t;
            sum += fy.weights[y][t] * rows[(sy * width + x) * c + k];
          }
          out[(y * width + x) * c + k] = (float) sum;
        }
      }
    }
    return new Image(height, width, c, out);
  }

  /** The normalized taps of each output position along one axis. */
  private static final class Filter {
    final int[] first;
    final int[] count;
    final double[][] weights;

    Filter(int in, int out) {
      double scale = (double) in / out;
      double support = Math.max(1.0, scale);
      first = new int[out];
      count = new int[out];
      weights = new double[out][];
      for (int i = 0; i < out; i++) {
        double center = (i + 0.5) * scale;
        int lo = Math.max(0, (int) Math.floor(center - support));
        int hi = Math.min(in, (int) Math.ceil(center + support));
        double[] w = new double[hi - lo];
        double total = 0;
        for (int j = lo; j < hi; j++) {
          double distance = Math.abs((j + 0.5 - center) / support);
          w[j - lo] = Math.max(0, 1 - distance);
          total += w[j - lo];
        }
        if (total == 0) {
          // a degenerate window: take the nearest pixel
          lo = Math.min(in - 1, Math.max(0, (int) Math.floor(center)));
          w = new double[] {1};
          total = 1;
        }
        for (int t = 0; t < w.length; t++) {
          w[t] /= total;
        }
        first[i] = lo;
        count[i] = w.length;
        weights[i] = w;
      }
    }
  }
}
