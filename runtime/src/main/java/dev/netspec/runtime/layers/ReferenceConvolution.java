package dev.netspec.runtime.layers;

/**
 * PyTorch's {@code Conv2d} and its two gradients in plain Java, NHWC with an HWIO filter: slow,
 * obviously right, and independent of every native kernel. What {@link KernelCheck} compares the
 * kernels against on tiny inputs.
 */
final class ReferenceConvolution {

  /**
   * The output and, given the output's gradient, the input's and the filter's gradients (null
   * without it).
   */
  record Result(float[] output, float[] inputGradient, float[] filterGradient) {}

  private ReferenceConvolution() {}

  /**
   * @param x {@code [n, h, w, spec.inChannels]}
   * @param filter {@code [k, k, spec.inPerGroup, spec.outChannels]}
   * @param dOutput the gradient of the output {@code [n, ho, wo, spec.outChannels]}, or null for
   *     the output alone
   */
  static Result run(ConvSpec spec, float[] x, int n, int h, int w, float[] filter,
      float[] dOutput) {
    int k = spec.kernel();
    int in = spec.inChannels();
    int out = spec.outChannels();
    int inPerGroup = spec.inPerGroup();
    int outPerGroup = spec.outPerGroup();
    int ho = Math.toIntExact(spec.outputSize(h));
    int wo = Math.toIntExact(spec.outputSize(w));
    double[] y = new double[n * ho * wo * out];
    boolean gradients = dOutput != null;
    double[] dx = gradients ? new double[x.length] : null;
    double[] dw = gradients ? new double[filter.length] : null;
    for (int b = 0; b < n; b++) {
      for (int oy = 0; oy < ho; oy++) {
        for (int ox = 0; ox < wo; ox++) {
          int at = ((b * ho + oy) * wo + ox) * out;
          for (int i = 0; i < k; i++) {
            int iy = oy * spec.stride() - spec.padding() + i * spec.dilation();
            if (iy < 0 || iy >= h) {
              continue;
            }
            for (int j = 0; j < k; j++) {
              int ix = ox * spec.stride() - spec.padding() + j * spec.dilation();
              if (ix < 0 || ix >= w) {
                continue;
              }
              int xAt = ((b * h + iy) * w + ix) * in;
              int wAt = (i * k + j) * inPerGroup * out;
              for (int o = 0; o < out; o++) {
                int first = xAt + (o / outPerGroup) * inPerGroup;
                double sum = 0;
                for (int c = 0; c < inPerGroup; c++) {
                  sum += (double) x[first + c] * filter[wAt + c * out + o];
                }
                y[at + o] += sum;
                if (gradients) {
                  double grad = dOutput[at + o];
                  for (int c = 0; c < inPerGroup; c++) {
                    int wi = wAt + c * out + o;
                    dx[first + c] += grad * filter[wi];
                    dw[wi] += grad * x[first + c];
                  }
                }
              }
            }
          }
        }
      }
    }
    return new Result(floats(y), gradients ? floats(dx) : null, gradients ? floats(dw) : null);
  }

  private static float[] floats(double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }
}
