package dev.netspec.examples.cli;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.io.SafetensorsFile;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Runs a parity file's NCHW {@code input} through a model and compares with its {@code output}.
 *
 * <p>Both are read whole, so their sizes are checked before anything is read: each holds at most
 * {@link #MAX_ELEMENTS} values, and the Java heap must hold every copy made of them (the input
 * read and turned NHWC, the output read, turned NHWC where it is a feature map, and the
 * network's output copied out), else the file is refused with what it would need.
 */
final class Parity {
  static final String INPUT = "input";
  static final String OUTPUT = "output";

  /** The most values {@code input} or {@code output} may hold: 64 MB as float32. */
  static final long MAX_ELEMENTS = 1L << 24;

  private Parity() {}

  /**
   * @param maxRelativeError max |out − output| / max |output|; NaN when the network's output
   *     holds NaN or infinity
   * @param maxReference max |output|
   */
  record Result(Shape inputShape, Shape outputShape, double maxRelativeError,
      double maxReference) {}

  /** A parity file whose {@code input} and {@code output} passed {@link #check}. */
  record Checked(SafetensorsFile source, Shape input, Shape output) {}

  /**
   * Checks the file's {@code input} and {@code output} as far as can be done before reading them:
   * present, of the right rank, at least one image, within {@link #MAX_ELEMENTS} and the free
   * heap.
   *
   * @throws IllegalArgumentException naming the file and what is wrong
   */
  static Checked check(SafetensorsFile source) {
    Shape input = tensor(source, INPUT, 4, "the images, NCHW");
    Shape output = tensor(source, OUTPUT, -1, "PyTorch's output for them");
    if (input.get(0) == 0) {
      throw new IllegalArgumentException(source.path() + ": 'input' has shape " + input
          + ", no image at all");
    }
    // on the heap: input read + NHWC; output read + NHWC (feature maps) + the network's copy
    long bytes = Float.BYTES * (2 * input.size()
        + (output.numDimensions() == 4 ? 3 : 2) * output.size());
    if (bytes > freeHeap()) {
      System.gc();
      long free = freeHeap();
      if (bytes > free) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: 'input' %s and "
            + "'output' %s need %,d MB of Java heap for the comparison, more than the %,d MB "
            + "left; raise -Xmx (NETSPEC_JAVA_OPTS=-Xmx8g)", source.path(), input, output,
            bytes >> 20, free >> 20));
      }
    }
    return new Checked(source, input, output);
  }

  static Result run(Model<?> model, Checked checked) throws IOException {
    SafetensorsFile source = checked.source();
    Shape inputShape = checked.input();
    Shape outputShape = checked.output();
    long[] nchw = inputShape.asArray();
    float[] nhwc = nchwToNhwc(finite(source, INPUT), nchw);
    try (TFloat32 images = TFloat32.tensorOf(Shape.of(nchw[0], nchw[2], nchw[3], nchw[1]),
            DataBuffers.of(nhwc, true, false));
        TFloat32 output = model.predict(images)) {
      float[] expected = finite(source, OUTPUT);
      Shape expectedShape = outputShape;
      if (outputShape.numDimensions() == 4) {
        // a feature map: PyTorch's is NCHW, netspec's NHWC
        long[] d = outputShape.asArray();
        expected = nchwToNhwc(expected, d);
        expectedShape = Shape.of(d[0], d[2], d[3], d[1]);
      }
      if (!output.shape().equals(expectedShape)) {
        throw new IllegalArgumentException("the network's output has shape " + output.shape()
            + (expectedShape.equals(outputShape) ? "" : " (NHWC; " + expectedShape + " in NCHW)")
            + " but " + source.path() + "'s 'output' has shape " + outputShape);
      }
      float[] actual = new float[expected.length];
      output.copyTo(DataBuffers.of(actual, false, false));
      double maxDiff = 0;
      double maxRef = 0;
      for (int i = 0; i < actual.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
        maxRef = Math.max(maxRef, Math.abs((double) expected[i]));
        if (!Float.isFinite(actual[i])) {
          maxDiff = Double.NaN;
          break;
        }
      }
      double error = maxRef > 0 ? maxDiff / maxRef : maxDiff == 0 ? 0 : Double.POSITIVE_INFINITY;
      return new Result(inputShape, outputShape, error, maxRef);
    }
  }

  private static Shape tensor(SafetensorsFile source, String name, int rank, String what) {
    if (!source.tensors().containsKey(name)) {
      throw new IllegalArgumentException(source.path() + " has no tensor '" + name + "' (" + what
          + "); a parity file holds the state dict plus 'input' and 'output'");
    }
    Shape shape = source.shape(name);
    if (rank > 0 && shape.numDimensions() != rank) {
      throw new IllegalArgumentException(source.path() + ": '" + name + "' has shape " + shape
          + "; expected rank " + rank + " (" + what + ")");
    }
    if (shape.size() > MAX_ELEMENTS) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: '%s' has shape %s, "
          + "%,d values; parity reads at most %,d (64 MB as float32, e.g. [1, 3, 2048, 2048])",
          source.path(), name, shape, shape.size(), MAX_ELEMENTS));
    }
    return shape;
  }

  /** The tensor's values, refused when one is NaN or infinite: no comparison is then possible. */
  private static float[] finite(SafetensorsFile source, String name) throws IOException {
    float[] values = source.read(name);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(source.path() + ": '" + name + "' holds " + values[i]
            + " at " + Arrays.toString(index(i, source.shape(name).asArray()))
            + "; a parity check needs finite values");
      }
    }
    return values;
  }

  /** The coordinates of the {@code flat}-th element of a row-major array of {@code shape}. */
  private static long[] index(long flat, long[] shape) {
    long[] at = new long[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      at[d] = flat % shape[d];
      flat /= shape[d];
    }
    return at;
  }

  private static long freeHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
  }

  static float[] nchwToNhwc(float[] values, long[] nchw) {
    int n = (int) nchw[0];
    int c = (int) nchw[1];
    int h = (int) nchw[2];
    int w = (int) nchw[3];
    float[] result = new float[values.length];
    int i = 0;
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            result[((b * h + y) * w + x) * c + ch] = values[i++];
          }
        }
      }
    }
    return result;
  }
}
