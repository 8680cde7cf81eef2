package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.engine.AlternatedTiming;
import dev.netspec.runtime.engine.Engine;
import dev.netspec.runtime.engine.EngineDecision;
import dev.netspec.runtime.engine.InferenceEngine;
import dev.netspec.runtime.engine.LogitAgreement;
import dev.netspec.runtime.engine.OnnxRuntimeEngine;
import dev.netspec.runtime.io.onnx.ImageLayout;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * spread, images/s, achieved GMAC/s and peak resident memory; last, {@code median_ms=}. Inference
 * is timed on both engines by default, their runs taken in turns ({@link AlternatedTiming}) so
 * that a machine whose speed drifts slows both alike, and their outputs compared; then the last
 * lines are {@code median_ms_<engine>=}.
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

  @Option(names = "--engine", defaultValue = BOTH, paramLabel = "<engine>",
      description = "tensorflow, onnxruntime, both (timed in turns, their outputs compared), or"
          + " auto: what predict and evaluate run by default (default: ${DEFAULT-VALUE};"
          + " training runs on tensorflow)")
  String engine;

  @Option(names = "--onnx", paramLabel = "<file>",
      description = "an ONNX model for onnxruntime to run instead of the network's own export,"
          + " e.g. PyTorch's torch.onnx.export of the same network; <network> still gives the"
          + " image size and MACs")
  Path onnx;

  @Option(names = "--onnx-layout", defaultValue = "nchw", paramLabel = "<nchw|nhwc>",
      converter = OnnxOutput.LayoutConverter.class,
      description = "the axes the --onnx model's input takes (default: ${DEFAULT-VALUE})")
  ImageLayout onnxLayout;

  @Mixin RuntimeOptions runtime;
  @Mixin MemoryOptions memory;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private static final String BOTH = "both";

  @Override
  public Integer call() throws IOException {
    if (batch < 1 || runs < 1 || warmup < 0) {
      throw new IllegalArgumentException("--batch and --runs must be at least 1, --warmup at least 0");
    }
    List<Engine> engines = engines();
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
    List<Timed> timed = new ArrayList<>();
    try (model; TFloat32 images = random(Shape.of(batch, height, width, descriptor.input().channels()))) {
      for (Engine e : engines) {
        long stepStart = System.nanoTime();
        Step step = train ? trainingStep(model, images) : inference(e, model, images, height,
            width);
        timed.add(new Timed(e, step, seconds(System.nanoTime() - stepStart)));
      }
      for (Timed t : timed) {
        long first = System.nanoTime();
        t.step().run();
        t.firstRun = seconds(System.nanoTime() - first);
        for (int i = 0; i < warmup; i++) {
          t.step().run();
        }
      }
      // in turns, in blocks: a machine that slows down for a while slows every engine alike
      int rounds = timed.size() == 1 ? 1 : 2;
      double[][] ms = new AlternatedTiming(rounds, (runs + rounds - 1) / rounds, System::nanoTime)
          .millis(timed.stream().map(t -> (Runnable) t.step()::run).toList());
      for (int i = 0; i < timed.size(); i++) {
        timed.get(i).ms = ms[i];
      }
      report(out, descriptor, version, oneDnn, nativeLoad, model.startup(), timed, images,
          height, width);
    } finally {
      timed.forEach(t -> t.step().close());
    }
    out.flush();
    return 0;
  }

  /** The engines --engine names; training, and --onnx, allow only some. */
  private List<Engine> engines() {
    boolean both = engine.trim().equalsIgnoreCase(BOTH);
    if (train) {
      if (!both && Engine.parse(engine) != Engine.TENSORFLOW) {
        throw new IllegalArgumentException("--engine " + engine + " runs inference only;"
            + " training runs on tensorflow: leave --engine out with --train");
      }
      return List.of(Engine.TENSORFLOW);
    }
    List<Engine> engines = both ? Engine.concrete() : List.of(Engine.parse(engine));
    if (onnx != null && !engines.contains(Engine.ONNXRUNTIME)) {
      throw new IllegalArgumentException("--onnx is run by onnxruntime; give --engine onnxruntime"
          + " or both");
    }
    engines.forEach(e -> e.checkDevice(runtime.devices.device));
    return engines.stream().map(e -> e.on(runtime.devices.device)).toList();
  }

  /** One engine's step and its timings. */
  private final class Timed {
    private final Engine engine;
    private final Step step;
    /** Making the step: the training graph, or the engine's export and session. */
    private final double setup;
    private double[] ms;
    private double firstRun;

    Timed(Engine engine, Step step, double setup) {
      this.engine = engine;
      this.step = step;
      this.setup = setup;
    }

    Step step() {
      return step;
    }
  }

  private void report(PrintWriter out, NetworkDescriptor<?> descriptor, String version,
      OneDnnChoice oneDnn, double nativeLoad, Model.Startup startup, List<Timed> timed,
      TFloat32 images, int height, int width) throws IOException {
    boolean onnxRuntime = timed.stream().anyMatch(t -> t.engine == Engine.ONNXRUNTIME);
    out.printf(Locale.ROOT, "%s %s, batch %d at %dx%d, %s threads, device %s, TensorFlow %s%s%n",
        descriptor.name(), train ? "training step" : "inference", batch, height, width,
        runtime.devices.threads == 0 ? "all" : Integer.toString(runtime.devices.threads),
        runtime.devices.device, version,
        onnxRuntime ? ", ONNX Runtime " + OnnxRuntimeEngine.version() : "");
    out.println("cpu: " + CpuIdentity.ofThisMachine().describe());
    out.println("oneDNN: " + oneDnn.describe());
    Timed tensorflow = timed.stream().filter(t -> t.engine == Engine.TENSORFLOW).findFirst()
        .orElse(null);
    out.printf(Locale.ROOT, "one-time: native library %.2f s, graph %.2f s, session %.2f s,"
            + " initialize %.2f s%s%n", nativeLoad,
        seconds(startup.graphNanos()), seconds(startup.sessionNanos()),
        seconds(startup.initializeNanos()),
        tensorflow == null ? "" : String.format(Locale.ROOT, ", %sfirst run %.2f s",
            train ? String.format(Locale.ROOT, "training graph %.2f s, ", tensorflow.setup) : "",
            tensorflow.firstRun));
    for (Timed t : timed) {
      if (t.engine == Engine.ONNXRUNTIME) {
        out.printf(Locale.ROOT, "one-time, onnxruntime: %s %.2f s, first run %.2f s%n",
            onnx == null ? "export and session" : "session on " + onnx, t.setup, t.firstRun);
      }
    }
    // the graph's time above includes the kernel checks
    out.println("kernels: " + KernelCheck.process().describe());
    boolean several = timed.size() > 1;
    double[] medians = new double[timed.size()];
    for (int i = 0; i < timed.size(); i++) {
      medians[i] = runs(out, descriptor, timed.get(i), several ? timed.get(i).engine.label()
          + ": " : "");
    }
    if (several) {
      out.printf(Locale.ROOT, "onnxruntime/tensorflow: %.2f of the time%n",
          medians[1] / medians[0]);
      if (onnx == null) { // an --onnx file has weights of its own: nothing to compare
        LogitAgreement agreement = agreement(timed, images);
        out.println("outputs: onnxruntime's " + (agreement.holds() ? "agree with" : "differ from")
            + " tensorflow's, " + agreement.describe());
        out.println("auto would run: " + (agreement.holds() && medians[1] < medians[0]
            ? Engine.ONNXRUNTIME : Engine.TENSORFLOW).label() + " (the faster of the two here,"
            + " onnxruntime only where the outputs agree)");
      }
    }
    for (Timed t : timed) {
      t.step().decision().ifPresent(d -> out.println("auto ran " + d.describe()));
    }
    out.printf(Locale.ROOT, "peak resident memory: %.0f MB%n", peakResidentMegabytes());
    for (int i = 0; i < timed.size(); i++) {
      out.printf(Locale.ROOT, "median_ms%s=%.3f%n", several ? "_" + timed.get(i).engine.label()
          : "", medians[i]);
    }
  }

  /** One engine's runs: their spread, images/s and GMAC/s; returns the median. */
  private double runs(PrintWriter out, NetworkDescriptor<?> descriptor, Timed timed,
      String prefix) {
    double[] sorted = timed.ms.clone();
    Arrays.sort(sorted);
    double median = percentile(sorted, 0.5);
    out.printf(Locale.ROOT, "%s%d runs after %d warm-up: median %.1f ms, min %.1f, p90 %.1f, max"
            + " %.1f%n", prefix, sorted.length, warmup, median, sorted[0],
        percentile(sorted, 0.9), sorted[sorted.length - 1]);
    double imagesPerSecond = batch / (median / 1000);
    out.printf(Locale.ROOT, "%s%.1f images/s", prefix, imagesPerSecond);
    long macs = descriptor.input().fixedSize() ? descriptor.macs() : -1;
    if (macs > 0) {
      // A training step does about three forward passes' worth of multiply-accumulates.
      double gmacs = macs * (train ? 3.0 : 1.0) * imagesPerSecond / 1e9;
      out.printf(Locale.ROOT, ", %.1f GMAC/s%s", gmacs, train ? " (forward MACs x 3)" : "");
    }
    out.println();
    return median;
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

  /** How far the second engine's output is from the first's on {@code images}. */
  private static LogitAgreement agreement(List<Timed> timed, TFloat32 images) {
    try (TFloat32 reference = timed.get(0).step().predict(images);
        TFloat32 other = timed.get(1).step().predict(images)) {
      return LogitAgreement.of(reference, other);
    }
  }

  /** One timed unit of work. */
  private interface Step extends AutoCloseable {
    void run();

    /** The output on {@code images} of an inference step. */
    default TFloat32 predict(TFloat32 images) {
      throw new UnsupportedOperationException("a training step has no output to compare");
    }

    /** How auto chose the engine of an inference step. */
    default Optional<EngineDecision> decision() {
      return Optional.empty();
    }

    @Override
    default void close() {}
  }

  /** Inference by {@code engine}: on the model, its export, or the --onnx file. */
  private Step inference(Engine engine, Model<? extends NetworkGraph> model, TFloat32 images,
      int height, int width) {
    InferenceEngine running = engine == Engine.ONNXRUNTIME && onnx != null
        ? OnnxRuntimeEngine.load(onnx, onnxLayout, runtime.devices.threads)
        : engine.open(model, runtime.devices.threads, height, width);
    return new Step() {
      @Override
      public void run() {
        running.predict(images).close();
      }

      @Override
      public TFloat32 predict(TFloat32 input) {
        return running.predict(input);
      }

      @Override
      public Optional<EngineDecision> decision() {
        return running.decision();
      }

      @Override
      public void close() {
        running.close();
      }
    };
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
