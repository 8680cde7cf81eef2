package dev.netspec.runtime.engine;

/** NHWC and NCHW images to each other, for models that take another layout than netspec's. */
final class ImageTranspose {
  private ImageTranspose() {}

  /** {@code nhwc}, of {@code shape} {@code [N, H, W, C]}, as NCHW. */
  static float[] toNchw(float[] nhwc, long[] shape) {
    int n = (int) shape[0];
    int pixels = (int) (shape[1] * shape[2]);
    int channels = (int) shape[3];
    float[] nchw = new float[nhwc.length];
    for (int image = 0; image < n; image++) {
      int base = image * pixels * channels;
      for (int p = 0; p < pixels; p++) {
        for (int c = 0; c < channels; c++) {
          nchw[base + c * pixels + p] = nhwc[base + p * channels + c];
        }
      }
    }
    return nchw;
  }

  /** {@code nchw}, of {@code shape} {@code [N, C, H, W]}, as NHWC. */
  static float[] toNhwc(float[] nchw, long[] shape) {
    int n = (int) shape[0];
    int channels = (int) shape[1];
    int pixels = (int) (shape[2] * shape[3]);
    float[] nhwc = new float[nchw.length];
    for (int image = 0; image < n; image++) {
      int base = image * pixels * channels;
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < pixels; p++) {
          nhwc[base + p * channels + c] = nchw[base + c * pixels + p];
        }
      }
    }
    return nhwc;
  }
}
