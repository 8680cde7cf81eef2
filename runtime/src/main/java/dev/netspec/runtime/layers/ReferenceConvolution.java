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
    int groups = spec.groups();
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
              // output channels innermost: the filter's rows are contiguous in them (HWIO)
              for (int g = 0; g < groups; g++) {
                int firstOut = g * outPerGroup;
                for (int c = 0; c < inPerGroup; c++) {
                  int xi = xAt + g * inPerGroup + c;
                  int row = wAt + c * out + firstOut;
                  double xv = x[xi];
                  double dxSum = 0;
                  for (int q = 0; q < outPerGroup; q++) {
                    y[at + firstOut + q] += xv * filter[row + q];
                    if (gradients) {
                      double grad = dOutput[at + firstOut + q];
                      dxSum += grad * filter[row + q];
                      dw[row + q] += grad * xv;
                    }
                  }
                  if (gradients) {
                    dx[xi] += dxSum;
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
