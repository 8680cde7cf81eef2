package dev.netspec.examples.cli;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.io.SafetensorsFile;
import java.io.IOException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Runs a parity file's NCHW {@code input} through a model and compares with its {@code output}. */
final class Parity {
  static final String INPUT = "input";
  static final String OUTPUT = "output";

  private Parity() {}

  /**
   * @param maxRelativeError max |out − output| / max |output|
   * @param maxReference max |output|
   */
  record Result(Shape inputShape, Shape outputShape, double maxRelativeError,
      double maxReference) {}

  static Result run(Model<?> model, SafetensorsFile source) throws IOException {
    Shape inputShape = tensor(source, INPUT, 4, "the images, NCHW");
    Shape outputShape = tensor(source, OUTPUT, -1, "PyTorch's output for them");
    float[] input = source.read(INPUT);
    float[] expected = source.read(OUTPUT);
    long[] nchw = inputShape.asArray();
    float[] nhwc = nchwToNhwc(input, nchw);
    try (TFloat32 images = TFloat32.tensorOf(Shape.of(nchw[0], nchw[2], nchw[3], nchw[1]),
            DataBuffers.of(nhwc, true, false));
        TFloat32 output = model.predict(images)) {
      float[] actual = new float[(int) output.shape().size()];
      output.copyTo(DataBuffers.of(actual, false, false));
      if (outputShape.numDimensions() == 4) {
        // a feature map: PyTorch's is NCHW, netspec's NHWC
        expected = nchwToNhwc(expected, outputShape.asArray());
      }
      if (actual.length != expected.length) {
        throw new IllegalArgumentException("the network's output has shape " + output.shape()
            + " but the file's 'output' has shape " + outputShape);
      }
      double maxDiff = 0;
      double maxRef = 0;
      for (int i = 0; i < actual.length; i++) {
        maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - expected[i]));
        maxRef = Math.max(maxRef, Math.abs((double) expected[i]));
        if (Double.isNaN(actual[i])) {
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
    return shape;
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
