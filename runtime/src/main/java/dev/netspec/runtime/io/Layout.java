package dev.netspec.runtime.io;

import java.util.Arrays;
import java.util.Optional;
import org.tensorflow.ndarray.Shape;

/**
 * How one PyTorch tensor becomes one netspec variable: copied, or transposed from PyTorch's
 * layout (convolutions OIHW → HWIO, linear {@code [out, in] → [in, out]}, per-channel factors
 * {@code [C, 1, 1] → [C]}, a 1×1-convolution
 * classifier {@code [out, in, 1, 1] → [in, out]}, a linear layer as a 1×1 convolution), with the
 * input of a linear layer after a flatten permuted from C·H·W to H·W·C order, or an input
 * convolution adapted to another number of image channels as timm's {@code adapt_input_conv}
 * does (summed for one channel; repeated and scaled by 3 / C for more).
 *
 * @param kind what happens to the values
 * @param source the PyTorch shape
 * @param target the netspec shape
 * @param flattened for {@link Kind#FLATTENED_LINEAR}: the {@code [height, width, channels]} of
 *     the flattened feature map; else empty
 */
public record Layout(Kind kind, long[] source, long[] target, int[] flattened) {

  public enum Kind {
    COPY("as is"),
    CONV("OIHW to HWIO"),
    ADAPTED_CONV("OIHW to HWIO, input channels adapted"),
    LINEAR("[out, in] to [in, out]"),
    FLATTENED_LINEAR("[out, in] to [in, out], input from C·H·W to H·W·C order"),
    CONV1X1_TO_LINEAR("1x1 conv [out, in, 1, 1] to linear [in, out]"),
    LINEAR_TO_CONV1X1("linear [out, in] to 1x1 conv [1, 1, in, out]"),
    CHANNEL_FACTORS("[C, 1, 1] to [C]");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  /**
   * The layout that turns a PyTorch tensor of shape {@code source} into a netspec variable of
   * shape {@code target}; empty when the shapes do not correspond.
   *
   * @param flattenedInput {@code [height, width, channels]} when the variable is the weight of a
   *     linear layer that follows a flatten, else null
   * @param adaptChannels whether the input channels may be adapted (an input convolution)
   */
  public static Optional<Layout> plan(Shape source, Shape target, int[] flattenedInput,
      boolean adaptChannels) {
    long[] s = source.asArray();
    long[] t = target.asArray();
    if (s.length == 4 && t.length == 4 && s[0] == t[3] && s[2] == t[0] && s[3] == t[1]) {
      if (s[1] == t[2]) {
        return Optional.of(new Layout(Kind.CONV, s, t, null));
      }
      if (adaptChannels && s[1] == 3) {
        return Optional.of(new Layout(Kind.ADAPTED_CONV, s, t, null));
      }
      return Optional.empty();
    }
    if (s.length == 2 && t.length == 2 && s[0] == t[1] && s[1] == t[0]) {
      if (flattenedInput != null
          && (long) flattenedInput[0] * flattenedInput[1] * flattenedInput[2] == s[1]) {
        return Optional.of(new Layout(Kind.FLATTENED_LINEAR, s, t, flattenedInput.clone()));
      }
      return Optional.of(new Layout(Kind.LINEAR, s, t, null));
    }
    if (s.length == 4 && t.length == 2 && s[2] == 1 && s[3] == 1 && s[0] == t[1]
        && s[1] == t[0]) {
      return Optional.of(new Layout(Kind.CONV1X1_TO_LINEAR, s, t, null));
    }
    if (s.length == 2 && t.length == 4 && t[0] == 1 && t[1] == 1 && s[0] == t[3]
        && s[1] == t[2]) {
      return Optional.of(new Layout(Kind.LINEAR_TO_CONV1X1, s, t, null));
    }
    if (s.length == 3 && t.length == 1 && s[0] == t[0] && s[1] == 1 && s[2] == 1) {
      // a factor per channel broadcast over NCHW maps (ConvNeXt's layer scale) is one over NHWC's
      return Optional.of(new Layout(Kind.CHANNEL_FACTORS, s, t, null));
    }
    if (Arrays.equals(s, t) && s.length != 2 && s.length != 4) {
      return Optional.of(new Layout(Kind.COPY, s, t, null));
    }
    return Optional.empty();
  }

  public Shape targetShape() {
    return Shape.of(target);
  }

  /** The netspec values, row-major in the target shape, from PyTorch's row-major values. */
  public float[] apply(float[] values) {
    long expected = Shape.of(source).size();
    if (values.length != expected) {
      throw new IllegalArgumentException("expected " + expected + " values of shape "
          + Arrays.toString(source) + ", got " + values.length);
    }
    return switch (kind) {
      case COPY, CHANNEL_FACTORS -> values.clone();
      case CONV -> convToHwio(values, (int) s(0), (int) s(1), (int) s(2), (int) s(3));
      case ADAPTED_CONV -> convToHwio(adaptInputChannels(values, (int) s(0), (int) s(2),
          (int) s(3), (int) target[2]), (int) s(0), (int) target[2], (int) s(2), (int) s(3));
      case LINEAR, CONV1X1_TO_LINEAR, LINEAR_TO_CONV1X1 ->
          transpose(values, (int) s(0), (int) s(1));
      case FLATTENED_LINEAR -> flattenedLinear(values, (int) s(0), flattened[0], flattened[1],
          flattened[2]);
    };
  }

  private long s(int axis) {
    return source[axis];
  }

  /** {@code [O, I, H, W] -> [H, W, I, O]}. */
  static float[] convToHwio(float[] w, int out, int in, int height, int width) {
    float[] result = new float[w.length];
    int i = 0;
    for (int o = 0; o < out; o++) {
      for (int c = 0; c < in; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            result[((y * width + x) * in + c) * out + o] = w[i++];
          }
        }
      }
    }
    return result;
  }

  /** {@code [rows, cols] -> [cols, rows]}. */
  static float[] transpose(float[] w, int rows, int cols) {
    float[] result = new float[w.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        result[c * rows + r] = w[r * cols + c];
      }
    }
    return result;
  }

  /**
   * {@code [out, C·H·W] -> [H·W·C, out]}: PyTorch flattens NCHW maps channel first, netspec
   * flattens NHWC maps channel last.
   */
  static float[] flattenedLinear(float[] w, int out, int height, int width, int channels) {
    int in = height * width * channels;
    float[] result = new float[w.length];
    for (int o = 0; o < out; o++) {
      for (int c = 0; c < channels; c++) {
        for (int y = 0; y < height; y++) {
          for (int x = 0; x < width; x++) {
            int torch = (c * height + y) * width + x;
            int nhwc = (y * width + x) * channels + c;
            result[nhwc * out + o] = w[o * in + torch];
          }
        }
      }
    }
    return result;
  }

  /**
   * timm's {@code adapt_input_conv} on {@code [O, 3, H, W]}: the sum over the three channels for
   * one channel; otherwise the three repeated to {@code channels} and scaled by 3 / channels, so
   * that an image repeated over its channels gives the same response.
   */
  static float[] adaptInputChannels(float[] w, int out, int height, int width, int channels) {
    int k = height * width;
    float[] result = new float[out * channels * k];
    for (int o = 0; o < out; o++) {
      for (int c = 0; c < channels; c++) {
        for (int p = 0; p < k; p++) {
          float value;
          if (channels == 1) {
            value = w[(o * 3) * k + p] + w[(o * 3 + 1) * k + p] + w[(o * 3 + 2) * k + p];
          } else {
            value = w[(o * 3 + c % 3) * k + p] * (3f / channels);
          }
          result[(o * channels + c) * k + p] = value;
        }
      }
    }
    return result;
  }

  @Override
  public String toString() {
    return kind.description() + " " + Arrays.toString(source) + " -> " + Arrays.toString(target);
  }
}
