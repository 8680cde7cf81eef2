package dev.netspec.runtime.layers;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.VariableStore;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Small networks built from a lambda, and tensor helpers, for the layer tests. */
final class Nets {

  private Nets() {}

  record Net(Operand<TFloat32> output, VariableStore variables) implements NetworkGraph {}

  static Model<Net> model(int channels, int height, int width, Mode mode,
      BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> body) {
    return model(channels, height, width, mode, false, body);
  }

  /** {@link #model} with {@link Layers#memoryEfficient()} as asked. */
  static Model<Net> model(int channels, int height, int width, Mode mode, boolean memoryEfficient,
      BiFunction<Layers, Operand<TFloat32>, Operand<TFloat32>> body) {
    return Model.create((tf, images, m) -> {
      Layers layers = Layers.create(tf, m, memoryEfficient)
          .withDefaults(Nonlinearity.RELU, 1e-5f, FanMode.FAN_OUT);
      return new Net(body.apply(layers, images), layers.store());
    }, channels, height, width, mode, 42L);
  }

  static TFloat32 tensor(float[] values, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  static float[] values(TFloat32 t) {
    float[] a = new float[Math.toIntExact(t.size())];
    t.copyTo(DataBuffers.of(a, false, false));
    return a;
  }

  /** 1, 2, 3, … */
  static float[] iota(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = i + 1;
    }
    return a;
  }

  static float[] gaussian(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextGaussian();
    }
    return a;
  }

  static float[] predict(Model<?> model, float[] x, long... shape) {
    try (TFloat32 in = tensor(x, shape); TFloat32 out = model.predict(in)) {
      return values(out);
    }
  }

  static float[] read(Model<?> model, String name) {
    try (TFloat32 t = model.read(name)) {
      return values(t);
    }
  }

  /**
   * Gradients of {@code sum(output * weights)} with respect to {@code wrt}, for one input batch.
   */
  static float[][] gradients(Model<?> model, float[] outputWeights, List<Operand<TFloat32>> wrt,
      float[] x, long... shape) {
    Output<?>[] grads = symbolicGradients(model, outputWeights, wrt, shape[0]);
    try (TFloat32 in = tensor(x, shape)) {
      Session.Runner runner = model.session().runner().feed(model.images(), in);
      for (Output<?> g : grads) {
        runner.fetch(g);
      }
      try (Result result = runner.run()) {
        float[][] values = new float[grads.length][];
        for (int i = 0; i < grads.length; i++) {
          values[i] = values((TFloat32) result.get(i));
        }
        return values;
      }
    }
  }

  /** The gradients of {@code sum(output * weights)} for a batch of {@code batch}, as graph ops. */
  static Output<?>[] symbolicGradients(Model<?> model, float[] outputWeights,
      List<? extends Operand<?>> wrt, long batch) {
    Operand<TFloat32> output = model.network().output();
    Ops tf = Ops.create(model.graph());
    long[] dims = output.shape().asArray();
    dims[0] = batch;
    Operand<TFloat32> r = tf.constant(Shape.of(dims),
        DataBuffers.of(outputWeights, true, false));
    Operand<TFloat32> loss = tf.sum(tf.math.mul(output, r), tf.constant(new int[] {0, 1, 2, 3}));
    return model.graph().addGradients(loss.asOutput(),
        wrt.stream().map(Operand::asOutput).toArray(Output<?>[]::new));
  }

  /** The ops that running {@code fetches} executes: their inputs and control inputs, transitively. */
  static java.util.Set<String> executed(Output<?>... fetches) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.Deque<org.tensorflow.GraphOperation> todo = new java.util.ArrayDeque<>();
    for (Output<?> fetch : fetches) {
      todo.add((org.tensorflow.GraphOperation) fetch.op());
    }
    while (!todo.isEmpty()) {
      org.tensorflow.GraphOperation op = todo.pop();
      if (seen.add(op.name())) {
        for (int i = 0; i < op.numInputs(); i++) {
          todo.add((org.tensorflow.GraphOperation) op.input(i).op());
        }
        todo.addAll(op.controlInputs());
      }
    }
    return seen;
  }

  /** Central differences of {@code f} at {@code x}, in double precision. */
  static double[] finiteDifferences(java.util.function.ToDoubleFunction<double[]> f, double[] x,
      double h) {
    double[] grad = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double keep = x[i];
      x[i] = keep + h;
      double up = f.applyAsDouble(x);
      x[i] = keep - h;
      double down = f.applyAsDouble(x);
      x[i] = keep;
      grad[i] = (up - down) / (2 * h);
    }
    return grad;
  }

  static double[] doubles(float[] a) {
    double[] d = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      d[i] = a[i];
    }
    return d;
  }

  static float[] floats(double[] a) {
    float[] f = new float[a.length];
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  /**
   * A direct convolution, PyTorch's definition: x NHWC, w HWIO {@code [k, k, cin/groups, cout]}.
   */
  static float[] conv(float[] x, int n, int h, int w, int cin, float[] filter, int k, int cout,
      int stride, int pad, int dilation, int groups) {
    int ho = (h + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
    int wo = (w + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
    int cinG = cin / groups;
    int coutG = cout / groups;
    float[] y = new float[n * ho * wo * cout];
    for (int b = 0; b < n; b++) {
      for (int oy = 0; oy < ho; oy++) {
        for (int ox = 0; ox < wo; ox++) {
          for (int oc = 0; oc < cout; oc++) {
            int g = oc / coutG;
            double sum = 0;
            for (int ky = 0; ky < k; ky++) {
              int iy = oy * stride - pad + ky * dilation;
              if (iy < 0 || iy >= h) {
                continue;
              }
              for (int kx = 0; kx < k; kx++) {
                int ix = ox * stride - pad + kx * dilation;
                if (ix < 0 || ix >= w) {
                  continue;
                }
                for (int ic = 0; ic < cinG; ic++) {
                  sum += x[((b * h + iy) * w + ix) * cin + g * cinG + ic]
                      * filter[((ky * k + kx) * cinG + ic) * cout + oc];
                }
              }
            }
            y[((b * ho + oy) * wo + ox) * cout + oc] = (float) sum;
          }
        }
      }
    }
    return y;
  }
}
