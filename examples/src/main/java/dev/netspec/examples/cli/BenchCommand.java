package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.layers.KernelCheck;
import dev.netspec.runtime.onednn.CpuIdentity;
import dev.netspec.runtime.onednn.OneDnn;
import dev.netspec.runtime.onednn.OneDnnChoice;
import dev.netspec.runtime.train.Optimizer;
import dev.netspec.runtime.train.Schedule;
import dev.netspec.runtime.train.TrainingConfig;
import dev.netspec.runtime.train.TrainingGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netspec bench}: the one-time costs of a network, then repeated timed runs of inference
 * or of one training step (forward, backward, SGD update, BatchNorm statistics); the median and
 * spread, images/s, achieved GMAC/s and peak resident memory; last, {@code median_ms=}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time a network's inference or training step on this machine.")
final class BenchCommand implements Callable<Integer> {
  @Parameters(paramLabel = "<network>", description = "a zoo name or a generated class")
  String network;

  @Option(names = "--batch", defaultValue = "1", description = "images per run (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--train", description = "time one training step instead of inference")
  boolean train;

  @Option(names = "--fixed-batch",
      description = "build the model for exactly --batch images (static shapes)")
  boolean fixedBatch;

  @Option(names = "--warmup", defaultValue = "3", description = "untimed runs first (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--runs", defaultValue = "10", description = "timed runs (default: ${DEFAULT-VALUE})")
  int runs;

  @Mixin RuntimeOptions runtime;
  @Mixin MemoryOptions memory;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (batch < 1 || runs < 1 || warmup < 0) {
      throw new IllegalArgumentException("--batch and --runs must be at least 1, --warmup at least 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    NetworkDescriptor<?> descriptor = Zoo.resolve(network);
    int height = runtime.height(descriptor.input());
    int width = runtime.width(descriptor.input());
    // before TensorFlow loads, which reads the setting once
    OneDnnChoice oneDnn = OneDnn.apply();
    long t0 = System.nanoTime();
    String version = TensorFlow.version();
    double nativeLoad = seconds(System.nanoTime() - t0);
    ModelOptions options = memory.applyTo(runtime.modelOptions());
    if (fixedBatch) {
      options = options.withBatch(batch);
    }
    Model<? extends NetworkGraph> model = Model.create(descriptor,
        train ? Mode.TRAIN : Mode.INFERENCE, 1L, options);
    try (model; TFloat32 images = random(Shape.of(batch, height, width, descriptor.input().channels()))) {
      long stepStart = System.nanoTime();
      Step step = train ? trainingStep(model, images) : inference(model, images);
      double stepGraph = seconds(System.nanoTime() - stepStart);
      try (step) {
        long first = System.nanoTime();
        step.run();
        double firstRun = seconds(System.nanoTime() - first);
        for (int i = 0; i < warmup; i++) {
          step.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
          long start = System.nanoTime();
          step.run();
          ms[i] = (System.nanoTime() - start) / 1e6;
        }
        report(out, descriptor, version, oneDnn, nativeLoad, model.startup(), stepGraph, firstRun,
            ms, height, width);
      }
    }
    out.flush();
    return 0;
  }

  private void report(PrintWriter out, NetworkDescriptor<?> descriptor, String version,
      OneDnnChoice oneDnn, double nativeLoad, Model.Startup startup, double trainingGraph, double firstRun, double[] ms,
      int height, int width) throws IOException {
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    double median = percentile(sorted, 0.5);
    out.printf(Locale.ROOT, "%s %s, batch %d at %dx%d, %s threads, device %s, TensorFlow %s%n",
        descriptor.name(), train ? "training step" : "inference", batch, height, width,
        runtime.devices.threads == 0 ? "all" : Integer.toString(runtime.devices.threads),
        runtime.devices.device, version);
    out.println("cpu: " + CpuIdentity.ofThisMachine().describe());
    out.println("oneDNN: " + oneDnn.describe());
    out.printf(Locale.ROOT, "one-time: native library %.2f s, graph %.2f s, session %.2f s,"
            + " initialize %.2f s, %sfirst run %.2f s%n", nativeLoad,
        seconds(startup.graphNanos()), seconds(startup.sessionNanos()),
        seconds(startup.initializeNanos()),
        train ? String.format(Locale.ROOT, "training graph %.2f s, ", trainingGraph) : "",
        firstRun);
    // the graph's time above includes the kernel checks
    out.println("kernels: " + KernelCheck.process().describe());
    out.printf(Locale.ROOT, "%d runs after %d warm-up: median %.1f ms, min %.1f, p90 %.1f, max %.1f%n",
        ms.length, warmup, median, sorted[0], percentile(sorted, 0.9), sorted[sorted.length - 1]);
    double imagesPerSecond = batch / (median / 1000);
    out.printf(Locale.ROOT, "%.1f images/s", imagesPerSecond);
    long macs = descriptor.input().fixedSize() ? descriptor.macs() : -1;
    if (macs > 0) {
      // A training step does about three forward passes' worth of multiply-accumulates.
      double gmacs = macs * (train ? 3.0 : 1.0) * imagesPerSecond / 1e9;
      out.printf(Locale.ROOT, ", %.1f GMAC/s%s", gmacs, train ? " (forward MACs x 3)" : "");
    }
    out.println();
    out.printf(Locale.ROOT, "peak resident memory: %.0f MB%n", peakResidentMegabytes());
    out.printf(Locale.ROOT, "median_ms=%.3f%n", median);
  }

  private static double percentile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int low = (int) Math.floor(position);
    int high = (int) Math.ceil(position);
    return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
  }

  /** VmHWM of /proc/self/status: the most memory this process has held, the natives included. */
  static double peakResidentMegabytes() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return Double.NaN;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  /** One timed unit of work. */
  private interface Step extends AutoCloseable {
    void run();

    @Override
    default void close() {}
  }

  private static Step inference(Model<? extends NetworkGraph> model, TFloat32 images) {
    return () -> model.predict(images).close();
  }

  /**
   * One step of the trainer (SGD with momentum 0.9, weight decay 1e-4: torchvision's recipe):
   * forward, backward, update and BatchNorm statistics, as {@code netspec train} runs it.
   */
  private static Step trainingStep(Model<? extends NetworkGraph> model, TFloat32 images) {
    Shape output = model.network().output().shape();
    if (output.numDimensions() != 2) {
      throw new IllegalArgumentException("--train needs a network that ends in class logits;"
          + " this one yields " + output);
    }
    TrainingConfig config = new TrainingConfig(1, (int) images.shape().get(0),
        Optimizer.sgd(0.9, false), new Schedule.Constant(1e-3), 1e-4, false, 0, 1L, 1);
    TrainingGraph training = TrainingGraph.build(model, config);
    TInt32 labels = labels((int) images.shape().get(0), (int) output.get(1));
    long[] step = {0};
    return new Step() {
      @Override
      public void run() {
        training.step(images, labels, step[0]++, 1e-3);
      }

      @Override
      public void close() {
        labels.close();
      }
    };
  }

  private static TFloat32 random(Shape shape) {
    SplittableRandom random = new SplittableRandom(9);
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  private static TInt32 labels(int batch, int classes) {
    TInt32 labels = TInt32.tensorOf(Shape.of(batch));
    SplittableRandom random = new SplittableRandom(13);
    for (int n = 0; n < batch; n++) {
      labels.setInt(random.nextInt(classes), n);
    }
    return labels;
  }
}
