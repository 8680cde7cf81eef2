package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * An undilated 2-D convolution, VALID or SAME, with PyTorch's {@code groups}: filter {@code [k,
 * k, in/groups, out]} (HWIO), output channel {@code o} seeing only the input channels of group
 * {@code o / (out/groups)}.
 *
 * <p>Two ways to build {@code groups > 1}:
 *
 * <ul>
 *   <li>{@link Path#NATIVE}: one Conv2D whose filter has {@code in/groups} input channels.
 *       TensorFlow's CPU kernels run it forward and backward only through oneDNN; without oneDNN
 *       the forward pass is slow and the gradient fails ("filter_size does not have enough
 *       elements"). With oneDNN it is faster than the split (the README gives measurements).
 *   <li>{@link Path#SPLIT}: Split + one Conv2D per group + Concat, which runs and trains
 *       everywhere.
 * </ul>
 *
 * <p>The system property {@value #PROPERTY} chooses: {@code native}, {@code split}, or {@code
 * auto} (the default), which takes the native path when a probe finds it works. The probe runs
 * once per process: a grouped convolution on a tiny input in a throwaway graph, forward and
 * gradients with respect to input and filter, compared with the split path's. Whether oneDNN is
 * on is TensorFlow's decision at start-up: TF 2.18 enables it by default on CPUs with
 * AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX; {@code TF_ENABLE_ONEDNN_OPTS=1} or {@code 0} in the
 * environment forces it on or off. The property is read for every convolution built, so a graph
 * uses the path chosen when it is built.
 */
public final class GroupedConvolution {

  /** The system property that chooses the path: {@code auto}, {@code native} or {@code split}. */
  public static final String PROPERTY = "netspec.groupedConv";

  /** How a grouped convolution is built. */
  public enum Path {
    /** One Conv2D with a grouped filter: needs oneDNN to train. */
    NATIVE,
    /** Split, one Conv2D per group, Concat: runs everywhere. */
    SPLIT
  }

  private GroupedConvolution() {}

  /** The path graphs built now use: the one {@value #PROPERTY} names, else the probe's choice. */
  public static Path path() {
    String chosen = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    switch (chosen) {
      case "native":
        return Path.NATIVE;
      case "split":
        return Path.SPLIT;
      case "auto":
      case "":
        return Probe.RESULT.works() ? Path.NATIVE : Path.SPLIT;
      default:
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + chosen
            + " is not a grouped-convolution path; use auto, native or split");
    }
  }

  /** Whether the native path runs forward and backward and agrees with the split (probed once). */
  public static boolean nativeWorks() {
    return Probe.RESULT.works();
  }

  /** One line on the chosen path and why, for logs and benchmarks. */
  public static String describe() {
    Path path = path();
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank() && !property.trim().equalsIgnoreCase("auto")) {
      return path.name().toLowerCase(Locale.ROOT) + " (forced by -D" + PROPERTY + "=" + property
          + ")";
    }
    return Probe.RESULT.works()
        ? "native (a grouped Conv2D ran forward and backward here and matched the split)"
        : "split (native grouped Conv2D fails here: " + Probe.RESULT.failure() + ")";
  }

  static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter,
      int groups, int stride, String padding) {
    return apply(tf, x, filter, groups, stride, padding, groups == 1 ? Path.NATIVE : path());
  }

  /**
   * A VALID convolution of {@code x} {@code [N, H, W, in]} with {@code filter} {@code [k, k,
   * in/groups, out]} built on {@code path}, whatever the property says: for benchmarks and tests.
   */
  public static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, int groups, int stride, Path path) {
    return apply(tf, x, filter, groups, stride, "VALID", path);
  }

  /**
   * As {@link #apply(Ops, Operand, Operand, int, int, Path)}, with TensorFlow's {@code VALID} or
   * {@code SAME} padding.
   */
  static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter,
      int groups, int stride, String padding, Path path) {
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    if (groups == 1 || path == Path.NATIVE) {
      return tf.nn.conv2d(x, filter, strides, padding);
    }
    List<Output<TFloat32>> inputs = tf.split(tf.constant(3), x, (long) groups).output();
    List<Output<TFloat32>> filters = tf.split(tf.constant(3), filter, (long) groups).output();
    List<Operand<TFloat32>> outputs = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      outputs.add(tf.nn.conv2d(inputs.get(g), filters.get(g), strides, padding));
    }
    return tf.concat(outputs, tf.constant(3));
  }

  /** The probe's verdict, computed on first use (the holder idiom makes it once per process). */
  private static final class Probe {
    private static final int GROUPS = 2;
    private static final long[] INPUT = {2, 5, 5, 4};
    private static final long[] FILTER = {3, 3, 2, 4};

    /** After the shapes it uses: static fields are initialized in order. */
    static final Verdict RESULT = run();

    record Verdict(boolean works, String failure) {}

    static Verdict run() {
      try {
        float[][] split = evaluate(Path.SPLIT);
        float[][] grouped = evaluate(Path.NATIVE);
        String[] what = {"output", "input gradient", "filter gradient"};
        for (int i = 0; i < split.length; i++) {
          if (!close(split[i], grouped[i])) {
            return new Verdict(false, "its " + what[i] + " differs from the split path's");
          }
        }
        return new Verdict(true, "");
      } catch (RuntimeException e) {
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return new Verdict(false, e.getClass().getSimpleName() + ": " + message);
      }
    }

    /** Output, input gradient and filter gradient of a stride-2 grouped convolution. */
    private static float[][] evaluate(Path path) {
      try (Graph graph = new Graph(); Session session = new Session(graph);
          TFloat32 x = ramp(INPUT, 0.37f); TFloat32 w = ramp(FILTER, 0.11f)) {
        Ops tf = Ops.create(graph);
        // placeholders, so that graph optimization cannot fold the kernels away
        Placeholder<TFloat32> input = tf.placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(INPUT)));
        Placeholder<TFloat32> filter = tf.placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(FILTER)));
        Operand<TFloat32> y = apply(tf, input, filter, GROUPS, 2, path);
        Operand<TFloat32> loss = tf.sum(tf.math.mul(y, y), tf.constant(new int[] {0, 1, 2, 3}));
        Output<?>[] gradients = graph.addGradients(loss.asOutput(),
            new Output<?>[] {input.asOutput(), filter.asOutput()});
        try (Result result = session.runner().feed(input, x).feed(filter, w)
            .fetch(y).fetch(gradients[0]).fetch(gradients[1]).run()) {
          float[][] values = new float[3][];
          for (int i = 0; i < 3; i++) {
            TFloat32 t = (TFloat32) result.get(i);
            values[i] = new float[Math.toIntExact(t.size())];
            t.copyTo(DataBuffers.of(values[i], false, false));
          }
          return values;
        }
      }
    }

    /** Distinct values in [-1, 1): a pattern where a mixed-up group would show. */
    private static TFloat32 ramp(long[] shape, float step) {
      float[] v = new float[Math.toIntExact(Shape.of(shape).size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (((i * step) % 2.0) - 1.0);
      }
      return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
    }

    private static boolean close(float[] a, float[] b) {
      if (a.length != b.length) {
        return false;
      }
      for (int i = 0; i < a.length; i++) {
        if (!(Math.abs(a[i] - b[i]) <= 1e-3f * (1 + Math.abs(a[i])))) {
          return false;
        }
      }
      return true;
    }
  }
}
