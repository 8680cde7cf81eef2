package dev.netspec.runtime.layers;

import java.util.Map;

/**
 * The attention units computed directly in double precision from timm's definitions ({@code
 * SEModule}, {@code SelectiveKernel}, {@code SplitAttn}), on NHWC maps, with parameters by their
 * variable names (convolution weights HWIO, BatchNorm in inference). Loops only: nothing shared
 * with the TensorFlow implementation.
 */
final class AttentionReference {
  private AttentionReference() {}

  /** An NHWC map. */
  record Map4(double[] v, int n, int h, int w, int c) {
    Map4(int n, int h, int w, int c) {
      this(new double[n * h * w * c], n, h, w, c);
    }

    int at(int b, int y, int x, int ch) {
      return ((b * h + y) * w + x) * c + ch;
    }
  }

  static final double EPSILON = 1e-5;

  static Map4 conv(Map4 x, double[] filter, double[] bias, int k, int out, int stride, int pad,
      int dilation, int groups) {
    int ho = (x.h() + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
    int wo = (x.w() + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
    int inG = x.c() / groups;
    int outG = out / groups;
    Map4 y = new Map4(x.n(), ho, wo, out);
    for (int b = 0; b < x.n(); b++) {
      for (int oy = 0; oy < ho; oy++) {
        for (int ox = 0; ox < wo; ox++) {
          for (int oc = 0; oc < out; oc++) {
            int g = oc / outG;
            double sum = bias == null ? 0 : bias[oc];
            for (int ky = 0; ky < k; ky++) {
              int iy = oy * stride - pad + ky * dilation;
              for (int kx = 0; kx < k; kx++) {
                int ix = ox * stride - pad + kx * dilation;
                if (iy < 0 || iy >= x.h() || ix < 0 || ix >= x.w()) {
                  continue;
                }
                for (int ic = 0; ic < inG; ic++) {
                  sum += x.v()[x.at(b, iy, ix, g * inG + ic)]
                      * filter[((ky * k + kx) * inG + ic) * out + oc];
                }
              }
            }
            y.v()[y.at(b, oy, ox, oc)] = sum;
          }
        }
      }
    }
    return y;
  }

  /** BatchNorm in inference with the parameters {@code <prefix>.weight}, {@code .bias}, …. */
  static Map4 batchNorm(Map4 x, Map<String, double[]> p, String prefix) {
    double[] gamma = p.get(prefix + ".weight");
    double[] beta = p.get(prefix + ".bias");
    double[] mean = p.get(prefix + ".running_mean");
    double[] var = p.get(prefix + ".running_var");
    Map4 y = new Map4(x.n(), x.h(), x.w(), x.c());
    for (int i = 0; i < x.v().length; i++) {
      int ch = i % x.c();
      y.v()[i] = (x.v()[i] - mean[ch]) / Math.sqrt(var[ch] + EPSILON) * gamma[ch] + beta[ch];
    }
    return y;
  }

  static Map4 relu(Map4 x) {
    Map4 y = new Map4(x.n(), x.h(), x.w(), x.c());
    for (int i = 0; i < x.v().length; i++) {
      y.v()[i] = Math.max(0, x.v()[i]);
    }
    return y;
  }

  static Map4 sigmoid(Map4 x) {
    Map4 y = new Map4(x.n(), x.h(), x.w(), x.c());
    for (int i = 0; i < x.v().length; i++) {
      y.v()[i] = 1 / (1 + Math.exp(-x.v()[i]));
    }
    return y;
  }

  static Map4 add(Map4 a, Map4 b) {
    Map4 y = new Map4(a.n(), a.h(), a.w(), a.c());
    for (int i = 0; i < a.v().length; i++) {
      y.v()[i] = a.v()[i] + b.v()[i];
    }
    return y;
  }

  /** {@code x · gate}, the gate {@code [N, 1, 1, C]} broadcast over height and width. */
  static Map4 scale(Map4 x, Map4 gate) {
    Map4 y = new Map4(x.n(), x.h(), x.w(), x.c());
    for (int i = 0; i < x.v().length; i++) {
      int ch = i % x.c();
      int b = i / (x.h() * x.w() * x.c());
      y.v()[i] = x.v()[i] * gate.v()[b * x.c() + ch];
    }
    return y;
  }

  /** The mean over height and width: {@code [N, 1, 1, C]}. */
  static Map4 meanHW(Map4 x) {
    Map4 y = new Map4(x.n(), 1, 1, x.c());
    for (int i = 0; i < x.v().length; i++) {
      int ch = i % x.c();
      int b = i / (x.h() * x.w() * x.c());
      y.v()[b * x.c() + ch] += x.v()[i] / (x.h() * x.w());
    }
    return y;
  }

  /** Channels {@code [from, from + count)}. */
  static Map4 channels(Map4 x, int from, int count) {
    Map4 y = new Map4(x.n(), x.h(), x.w(), count);
    for (int p = 0; p < x.n() * x.h() * x.w(); p++) {
      System.arraycopy(x.v(), p * x.c() + from, y.v(), p * count, count);
    }
    return y;
  }

  /** SEModule: x · sigmoid(fc2(relu(fc1(mean(x))))). */
  static Map4 squeezeExcite(Map4 x, Map<String, double[]> p, String s, int squeezed) {
    Map4 z = meanHW(x);
    z = relu(conv(z, p.get(s + "fc1.weight"), p.get(s + "fc1.bias"), 1, squeezed, 1, 0, 1, 1));
    z = sigmoid(conv(z, p.get(s + "fc2.weight"), p.get(s + "fc2.bias"), 1, x.c(), 1, 0, 1, 1));
    return scale(x, z);
  }

  /** SelectiveKernel (split_input = False, keep_3x3): paths of dilation 1, 2, …, attention. */
  static Map4 selectiveKernel(Map4 x, Map<String, double[]> p, String s, int channels,
      int stride, int branches, int groups, int attention) {
    Map4[] paths = new Map4[branches];
    Map4 sum = null;
    for (int b = 0; b < branches; b++) {
      String path = s + "paths." + b + ".";
      Map4 y = conv(x, p.get(path + "conv.weight"), null, 3, channels, stride, b + 1, b + 1, groups);
      paths[b] = relu(batchNorm(y, p, path + "bn"));
      sum = sum == null ? paths[b] : add(sum, paths[b]);
    }
    Map4 z = conv(meanHW(sum), p.get(s + "attn.fc_reduce.weight"), null, 1, attention, 1, 0, 1, 1);
    z = relu(batchNorm(z, p, s + "attn.bn"));
    Map4 logits = conv(z, p.get(s + "attn.fc_select.weight"), null, 1, channels * branches, 1, 0,
        1, 1);
    Map4 out = new Map4(x.n(), paths[0].h(), paths[0].w(), channels);
    for (int n = 0; n < x.n(); n++) {
      for (int ch = 0; ch < channels; ch++) {
        // x.view(B, num_paths, C) and softmax over the paths
        double[] weight = new double[branches];
        double total = 0;
        for (int b = 0; b < branches; b++) {
          weight[b] = Math.exp(logits.v()[n * channels * branches + b * channels + ch]);
          total += weight[b];
        }
        for (int q = 0; q < out.h() * out.w(); q++) {
          int i = (n * out.h() * out.w() + q) * channels + ch;
          for (int b = 0; b < branches; b++) {
            out.v()[i] += paths[b].v()[i] * weight[b] / total;
          }
        }
      }
    }
    return out;
  }

  /** SplitAttn with a BatchNorm after the conv and after fc1, ReLU activations. */
  static Map4 splitAttention(Map4 x, Map<String, double[]> p, String s, int channels, int stride,
      int radix, int cardinality, int attention) {
    Map4 y = conv(x, p.get(s + "conv.weight"), null, 3, channels * radix, stride, 1, 1,
        radix * cardinality);
    y = relu(batchNorm(y, p, s + "bn0"));
    Map4 gap = channels(y, 0, channels);
    for (int r = 1; r < radix; r++) {
      gap = add(gap, channels(y, r * channels, channels));
    }
    Map4 z = conv(meanHW(gap), p.get(s + "fc1.weight"), p.get(s + "fc1.bias"), 1, attention, 1,
        0, 1, cardinality);
    z = relu(batchNorm(z, p, s + "bn1"));
    Map4 logits = conv(z, p.get(s + "fc2.weight"), p.get(s + "fc2.bias"), 1, channels * radix, 1,
        0, 1, cardinality);
    int rest = channels / cardinality;
    Map4 out = new Map4(x.n(), y.h(), y.w(), channels);
    for (int n = 0; n < x.n(); n++) {
      for (int k = 0; k < cardinality; k++) {
        for (int i = 0; i < rest; i++) {
          int ch = k * rest + i;
          // RadixSoftmax: view(B, cardinality, radix, rest), softmax over the radix
          double[] weight = new double[radix];
          double total = 0;
          for (int r = 0; r < radix; r++) {
            double logit = logits.v()[n * channels * radix + (k * radix + r) * rest + i];
            weight[r] = radix == 1 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit);
            total += weight[r];
          }
          for (int q = 0; q < out.h() * out.w(); q++) {
            int pos = n * out.h() * out.w() + q;
            for (int r = 0; r < radix; r++) {
              double share = radix == 1 ? weight[r] : weight[r] / total;
              out.v()[pos * channels + ch] += y.v()[pos * channels * radix + r * channels + ch] * share;
            }
          }
        }
      }
    }
    return out;
  }
}
