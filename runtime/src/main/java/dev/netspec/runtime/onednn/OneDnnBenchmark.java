package dev.netspec.runtime.onednn;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.layers.Layers;
import dev.netspec.runtime.layers.Nonlinearity;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A fixed inference benchmark of what the zoo's networks spend their time in, built from the
 * runtime's own layers so that each convolution takes the path netspec takes with this process's
 * oneDNN setting: 1×1 and 3×3 convolutions, a grouped and a depthwise one, BatchNorm with ReLU,
 * a concatenation, on one 28×28 image. Run as a child process with {@code TF_ENABLE_ONEDNN_OPTS}
 * set, it prints {@code median_ms=} after about a second of runs.
 */
public final class OneDnnBenchmark {
  static final String RESULT = "median_ms=";

  private static final int SIZE = 28;
  private static final int CHANNELS = 256;
  private static final long TIMED_NANOS = 1_000_000_000L;
  private static final int MIN_RUNS = 10;
  private static final int MAX_RUNS = 300;

  private OneDnnBenchmark() {}

  public static void main(String[] args) {
    System.out.println(RESULT + medianMillis());
  }

  /** The benchmark's median time per run in this process. */
  static double medianMillis() {
    try (Model<Block> model = Model.create(OneDnnBenchmark::build, CHANNELS, SIZE, SIZE,
            Mode.INFERENCE, 1L);
        TFloat32 image = image()) {
      for (int i = 0; i < 3; i++) {
        model.predict(image).close();
      }
      double[] ms = new double[MAX_RUNS];
      int runs = 0;
      long start = System.nanoTime();
      while (runs < MAX_RUNS && (runs < MIN_RUNS || System.nanoTime() - start < TIMED_NANOS)) {
        long t = System.nanoTime();
        model.predict(image).close();
        ms[runs++] = (System.nanoTime() - t) / 1e6;
      }
      double[] sorted = Arrays.copyOf(ms, runs);
      Arrays.sort(sorted);
      return sorted[runs / 2];
    }
  }

  private record Block(Operand<TFloat32> output, VariableStore variables) implements NetworkGraph {}

  private static Block build(org.tensorflow.op.Ops tf, Operand<TFloat32> images, Mode mode) {
    Layers layers = Layers.create(tf, mode);
    Operand<TFloat32> reduced = unit(layers.in("reduce"), images, 128, 1, 1, true);
    Operand<TFloat32> full = unit(layers.in("full"), reduced, 128, 3, 1, true);
    Operand<TFloat32> grouped = unit(layers.in("grouped"), full, 128, 3, 32, true);
    Operand<TFloat32> depthwise = unit(layers.in("depthwise"), grouped, 128, 3, 128, true);
    Operand<TFloat32> expanded = unit(layers.in("expand"), depthwise, CHANNELS, 1, 1, false);
    Operand<TFloat32> joined = layers.concat(List.of(images, expanded));
    Operand<TFloat32> out = unit(layers.in("transition"), joined, 128, 1, 1, true);
    return new Block(out, layers.store());
  }

  /** Convolution, BatchNorm and, with {@code relu}, ReLU: the zoo's unit. */
  private static Operand<TFloat32> unit(Layers layers, Operand<TFloat32> x, int out, int kernel,
      int groups, boolean relu) {
    Operand<TFloat32> y = layers.in("bn").batchNorm(
        layers.in("conv").conv(x, out, kernel, 1, kernel / 2, 1, groups, false), 1e-5f, 0.1f);
    return relu ? layers.activation(y, Nonlinearity.RELU) : y;
  }

  private static TFloat32 image() {
    SplittableRandom random = new SplittableRandom(5);
    float[] values = new float[SIZE * SIZE * CHANNELS];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return TFloat32.tensorOf(Shape.of(1, SIZE, SIZE, CHANNELS), DataBuffers.of(values, true, false));
  }

  /** The median line in a benchmark's output. */
  static double parse(String output) {
    return output.lines().filter(l -> l.startsWith(RESULT))
        .mapToDouble(l -> Double.parseDouble(l.substring(RESULT.length()).trim()))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new IllegalArgumentException("no " + RESULT + " line"));
  }
}
