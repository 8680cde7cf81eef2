package dev.netspec.examples.bench;

import dev.netspec.examples.zoo.DPN92;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.layers.GroupedConvolution;
import dev.netspec.runtime.layers.ConvPath;
import dev.netspec.runtime.layers.KernelCheck;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the two grouped-convolution paths on DPN-92's typical layer (a 3×3 convolution with 32
 * groups on 8×56×56×128) and DPN-92 inference at batch 1 and 8, on each path this process can
 * take. Prints the median and the best of the timed runs, after warm-up runs.
 *
 * <pre>
 * java -cp examples/target/netspec.jar dev.netspec.examples.bench.DualPathBenchmark
 * TF_ENABLE_ONEDNN_OPTS=0 java -cp examples/target/netspec.jar dev.netspec.examples.bench.DualPathBenchmark
 * </pre>
 */
@Command(name = "dual-path-benchmark", mixinStandardHelpOptions = true,
    description = "Time grouped convolutions and DPN-92 inference on each grouped-convolution path.")
public final class DualPathBenchmark implements Callable<Integer> {
  @Option(names = "--warmup", defaultValue = "3", description = "untimed runs first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--runs", defaultValue = "10", description = "timed runs (default: ${DEFAULT-VALUE})")
  int runs;

  @Option(names = "--batches", defaultValue = "1,8", split = ",",
      description = "DPN-92 batch sizes (default: ${DEFAULT-VALUE})")
  int[] batches;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DualPathBenchmark()).execute(args));
  }

  @Override
  public Integer call() {
    if (warmup < 0 || runs < 1) {
      throw new IllegalArgumentException("--warmup must be >= 0 and --runs >= 1");
    }
    System.out.printf("CPU: %s, %d cores visible; TF_ENABLE_ONEDNN_OPTS=%s%n", cpuName(),
        Runtime.getRuntime().availableProcessors(), System.getenv("TF_ENABLE_ONEDNN_OPTS"));
    System.out.println("grouped convolution: " + GroupedConvolution.describe());
    List<ConvPath> paths = KernelCheck.groupedKernelsTrain()
        ? List.of(ConvPath.NATIVE, ConvPath.SPLIT) : List.of(ConvPath.SPLIT);
    System.out.printf("%nconv 3x3, 32 groups, 8x56x56x128 -> 128 (median / best of %d, ms)%n", runs);
    for (ConvPath path : paths) {
      groupedConvolution(path);
    }
    System.out.printf("%nDPN-92 inference, 224x224 (median / best of %d, ms)%n", runs);
    for (ConvPath path : paths) {
      for (int batch : batches) {
        dpn92(path, batch);
      }
    }
    return 0;
  }

  private void groupedConvolution(ConvPath path) {
    int n = 8;
    int side = 56;
    int channels = 128;
    int groups = 32;
    try (Graph graph = new Graph(); Session session = new Session(graph);
        TFloat32 x = random(Shape.of(n, side, side, channels), 1);
        TFloat32 w = random(Shape.of(3, 3, channels / groups, channels), 2)) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class, Placeholder.shape(x.shape()));
      Placeholder<TFloat32> filter = tf.placeholder(TFloat32.class, Placeholder.shape(w.shape()));
      Operand<TFloat32> padded = tf.pad(input,
          tf.constant(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}}), tf.constant(0f));
      Operand<TFloat32> y = GroupedConvolution.apply(tf, padded, filter, groups, 1, path);
      Operand<TFloat32> loss = tf.math.mean(tf.math.mul(y, y), tf.constant(new int[] {0, 1, 2, 3}));
      Output<?>[] grads = graph.addGradients(loss.asOutput(),
          new Output<?>[] {input.asOutput(), filter.asOutput()});
      String name = path.name().toLowerCase(Locale.ROOT);
      report(name + " forward", time(() -> session.runner().feed(input, x).feed(filter, w).fetch(y)));
      report(name + " forward+backward", time(() -> session.runner().feed(input, x)
          .feed(filter, w).fetch(grads[0]).fetch(grads[1])));
    }
  }

  private void dpn92(ConvPath path, int batch) {
    String before = System.getProperty(GroupedConvolution.PROPERTY);
    System.setProperty(GroupedConvolution.PROPERTY, path.name().toLowerCase(Locale.ROOT));
    Model<DPN92> model;
    try {
      model = Model.create(DPN92.DESCRIPTOR, Mode.INFERENCE, 1L);
    } finally {
      if (before == null) {
        System.clearProperty(GroupedConvolution.PROPERTY);
      } else {
        System.setProperty(GroupedConvolution.PROPERTY, before);
      }
    }
    try (model; TFloat32 images = random(Shape.of(batch, 224, 224, 3), 3)) {
      double[] ms = time(() -> model.session().runner().feed(model.images(), images)
          .fetch(model.network().output()));
      report(String.format(Locale.ROOT, "%s batch %d", path.name().toLowerCase(Locale.ROOT), batch),
          ms);
      System.out.printf(Locale.ROOT, "    %.1f images/s%n", batch * 1000 / median(ms));
    }
  }

  /** Milliseconds of each timed run of what {@code runner} fetches. */
  private double[] time(Supplier<Session.Runner> runner) {
    for (int i = 0; i < warmup; i++) {
      try (Result ignored = runner.get().run()) {
        // warm-up: graph optimization, allocation, caches
      }
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      Session.Runner r = runner.get();
      long start = System.nanoTime();
      try (Result ignored = r.run()) {
        ms[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    return ms;
  }

  private static void report(String what, double[] ms) {
    System.out.printf(Locale.ROOT, "  %-28s %9.2f / %9.2f%n", what, median(ms),
        Arrays.stream(ms).min().orElseThrow());
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static TFloat32 random(Shape shape, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  private static String cpuName() {
    try {
      List<String> lines = new ArrayList<>(Files.readAllLines(Paths.get("/proc/cpuinfo")));
      return lines.stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
    } catch (java.io.IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }
}
