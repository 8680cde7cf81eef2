package dev.netspec.runtime.layers;

import dev.netspec.runtime.Device;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;

/**
 * Never trust a kernel: before a network uses a convolution configuration, the path it would be
 * built on runs once on a tiny random input (forward, and when training both gradients) and is
 * compared with {@link ReferenceConvolution}. A path that is wrong or fails is passed over for
 * the next one in {@link ConvPath}'s order that is right, and the fallback is logged once. The
 * verdicts are kept for the process, per configuration, and on disk per machine ({@link
 * VerdictCache}).
 *
 * <p>Why: on some CPUs TensorFlow 2.18's oneDNN returns wrong outputs and input gradients for
 * grouped convolutions with one output channel per group, and wrong input gradients for strided
 * depthwise convolutions, without any error. {@code -Dnetspec.groupedConv=native} or {@code
 * split} ({@link GroupedConvolution#PROPERTY}) pins grouped convolutions to one path; a pinned
 * path that is wrong stops the build instead of falling back.
 */
public final class KernelCheck {
  private static final System.Logger LOG = System.getLogger("dev.netspec.runtime");

  /** How far a kernel may be from the reference, as a share of the reference's largest value. */
  static final double TOLERANCE = 1e-3;

  /** A small grouped, strided convolution: whether grouped kernels train here at all. */
  private static final ConvSpec GROUPED_PROBE = new ConvSpec(4, 4, 2, 3, 2, 1, 1);

  /** What one configuration was checked for. */
  record Key(ConvSpec spec, boolean gradients, boolean repad, Optional<ConvPath> pinned,
      String device) {}

  /**
   * The path a configuration is built on, and why the paths before it were passed over ({@code
   * "native: input gradient off by 0.45 of its largest value"}).
   */
  public record Verdict(ConvSpec spec, boolean gradients, ConvPath path, List<String> rejected) {
    public boolean fellBack() {
      return !rejected.isEmpty();
    }

    /** One line for the log and benchmarks. */
    public String describe() {
      return "convolution " + spec + (gradients ? " (forward and gradients)" : " (forward)")
          + ": " + name(path) + (fellBack() ? ", because " + String.join("; ", rejected) : "");
    }
  }

  /** Builds a configuration on a path: {@link Convolution#build}, or a broken kernel in tests. */
  interface Builder {
    Operand<TFloat32> build(Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, ConvSpec spec,
        ConvPath path, boolean repad);
  }

  private static final KernelCheck PROCESS = new KernelCheck(
      (tf, x, filter, spec, path, repad) -> new Convolution(tf).build(x, filter, spec, path, repad),
      processCache());

  private final Builder builder;
  private final VerdictCache cache;
  private final Map<Key, Verdict> verdicts = new ConcurrentHashMap<>();
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicLong verified = new AtomicLong();

  /** A check that keeps its verdicts in memory only. */
  KernelCheck(Builder builder) {
    this(builder, VerdictCache.none());
  }

  KernelCheck(Builder builder, VerdictCache cache) {
    this.builder = builder;
    this.cache = cache;
  }

  private static VerdictCache processCache() {
    try {
      return VerdictCache.ofProcess();
    } catch (RuntimeException e) {
      LOG.log(Level.DEBUG, "kernel verdicts are not kept on disk: " + e);
      return VerdictCache.none();
    }
  }

  /** The process's checks, shared by every network it builds. */
  public static KernelCheck process() {
    return PROCESS;
  }

  /**
   * The path to build {@code spec} on, verified here for the forward pass and, when {@code
   * gradients}, for both gradients.
   *
   * @param repad whether the native path would pad again in its gradient (memory-efficient)
   * @throws IllegalStateException when a pinned path is wrong here, or no path is right
   */
  public ConvPath path(ConvSpec spec, boolean gradients, boolean repad) {
    return path(spec, gradients, repad, "");
  }

  /**
   * {@link #path(ConvSpec, boolean, boolean)} for a network whose ops ask for {@code device}
   * (TensorFlow's device string, e.g. {@code /device:GPU:0}; empty for TensorFlow's choice): the
   * check runs where the network will.
   */
  public ConvPath path(ConvSpec spec, boolean gradients, boolean repad, String device) {
    if (DeclaredConvolutions.active()) {
      return ConvPath.DECLARED; // a graph that is converted, never run: nothing to verify
    }
    Optional<ConvPath> pinned = spec.groups() > 1 ? GroupedConvolution.pinned() : Optional.empty();
    Key key = new Key(spec, gradients, repad && repads(spec), pinned, device);
    Verdict known = verdicts.get(key);
    if (known == null && !gradients) {
      // a path verified for training is right for inference too, and both then agree
      known = verdicts.get(new Key(spec, true, false, pinned, device));
    }
    if (known != null) {
      return known.path();
    }
    boolean splitFirst = spec.groups() > 1 && pinned.isEmpty() && !groupedKernelsTrain();
    return verdicts.computeIfAbsent(key, k -> decide(k, splitFirst, true)).path();
  }

  /**
   * Whether this process's TensorFlow trains a grouped Conv2D at all: only oneDNN has grouped
   * kernels, and without it the native forward pass is slow and its gradient fails. Where it
   * does not, grouped convolutions try the split first, for speed.
   */
  public static boolean groupedKernelsTrain() {
    return GroupedKernels.TRAIN;
  }

  /** The probe behind {@link #groupedKernelsTrain}, run once per process on first use. */
  private static final class GroupedKernels {
    static final boolean TRAIN = probe();

    private static boolean probe() {
      Key key = new Key(GROUPED_PROBE, true, false, Optional.empty(), "");
      return PROCESS.decide(key, false, false).path() == ConvPath.NATIVE;
    }
  }

  /** Whether the native path of {@code spec} is right here: what hand-written gradients assume. */
  public boolean trustsNative(ConvSpec spec, boolean gradients, String device) {
    return path(spec, gradients, false, device) == ConvPath.NATIVE;
  }

  /** Every verdict so far, fallbacks first. */
  public List<Verdict> verdicts() {
    List<Verdict> all = new ArrayList<>(verdicts.values());
    all.sort((a, b) -> Boolean.compare(b.fellBack(), a.fellBack()));
    return all;
  }

  /** The time spent verifying so far, in milliseconds. */
  public double milliseconds() {
    return nanos.get() / 1e6;
  }

  /**
   * One line for logs and benchmark headers: how many configurations were verified, at what
   * cost, and every fallback.
   */
  public String describe() {
    List<Verdict> all = verdicts();
    long fallbacks = all.stream().filter(Verdict::fellBack).count();
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "%d convolution configurations: %d verified against the reference in %.0f ms",
        all.size(), verified.get(), milliseconds()));
    long known = all.size() - verified.get();
    if (known > 0) {
      s.append(String.format(Locale.ROOT, ", %d known from %s", known, cache));
    }
    s.append("; ");
    if (fallbacks == 0) {
      s.append("every kernel is right");
    } else {
      s.append(fallbacks).append(" fell back: ");
      s.append(String.join(" | ", all.stream().filter(Verdict::fellBack)
          .map(Verdict::describe).toList()));
    }
    return s.toString();
  }

  private static boolean repads(ConvSpec spec) {
    return spec.groups() == 1 && spec.dilation() == 1 && spec.padding() > 0
        && !spec.paddingIsSame();
  }

  /**
   * The verdict on {@code key}: the cached one, else the first right path, verified now.
   *
   * @param splitFirst whether the split path is tried before the native one
   * @param log whether this is a network's configuration, counted and its fallback logged (not
   *     a probe)
   */
  private Verdict decide(Key key, boolean splitFirst, boolean log) {
    Optional<Verdict> cached = cache.get(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    long start = System.nanoTime();
    if (log) {
      verified.incrementAndGet();
    }
    try {
      List<ConvPath> candidates = new ArrayList<>(key.pinned().map(List::of).orElseGet(() ->
          List.of(ConvPath.values()).stream().filter(p -> p.appliesTo(key.spec())).toList()));
      if (splitFirst) {
        candidates.remove(ConvPath.SPLIT);
        candidates.add(0, ConvPath.SPLIT);
      }
      List<String> rejected = new ArrayList<>();
      for (ConvPath path : candidates) {
        Optional<String> wrong =
            verify(key.spec(), path, key.gradients(), key.repad(), key.device());
        if (wrong.isEmpty()) {
          Verdict verdict = new Verdict(key.spec(), key.gradients(), path, List.copyOf(rejected));
          if (verdict.fellBack() && log) {
            LOG.log(Level.WARNING, verdict.describe());
          }
          cache.put(key, verdict);
          return verdict;
        }
        rejected.add(name(path) + ": " + wrong.get());
      }
      String why = "no way of building convolution " + key.spec() + " gives the right "
          + (key.gradients() ? "output and gradients" : "output") + " here: "
          + String.join("; ", rejected);
      throw new IllegalStateException(key.pinned().isPresent()
          ? why + "; -D" + GroupedConvolution.PROPERTY + " pins this path: use auto" : why);
    } finally {
      nanos.addAndGet(System.nanoTime() - start);
    }
  }

  /** Empty when {@code path} computes {@code spec} right, else what is wrong. */
  Optional<String> verify(ConvSpec spec, ConvPath path, boolean gradients, boolean repad) {
    return verify(spec, path, gradients, repad, "");
  }

  /** {@link #verify(ConvSpec, ConvPath, boolean, boolean)} with the ops on {@code device}. */
  Optional<String> verify(ConvSpec spec, ConvPath path, boolean gradients, boolean repad,
      String device) {
    int n = 1;
    // an output of 2×3, whatever the padding: borders and an interior, height ≠ width
    int h = Math.max(1, spec.stride() + spec.reach() - 2 * spec.padding());
    int w = h + spec.stride();
    int ho = Math.toIntExact(spec.outputSize(h));
    int wo = Math.toIntExact(spec.outputSize(w));
    SplittableRandom random = new SplittableRandom(spec.hashCode());
    float[] x = uniform(random, n * h * w * spec.inChannels());
    float[] filter = uniform(random,
        spec.kernel() * spec.kernel() * spec.inPerGroup() * spec.outChannels());
    float[] dOutput = gradients ? uniform(random, n * ho * wo * spec.outChannels()) : null;
    float[][] found;
    try {
      found = run(spec, path, repad, device, new long[] {n, h, w, spec.inChannels()}, x,
          new long[] {spec.kernel(), spec.kernel(), spec.inPerGroup(), spec.outChannels()},
          filter, new long[] {n, ho, wo, spec.outChannels()}, dOutput);
    } catch (RuntimeException e) {
      return Optional.of("fails (" + e.getClass().getSimpleName() + ": "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")");
    }
    ReferenceConvolution.Result expected =
        ReferenceConvolution.run(spec, x, n, h, w, filter, dOutput);
    List<float[]> reference = gradients
        ? List.of(expected.output(), expected.inputGradient(), expected.filterGradient())
        : List.of(expected.output());
    String[] what = {"output", "input gradient", "filter gradient"};
    for (int i = 0; i < reference.size(); i++) {
      double error = relativeError(reference.get(i), found[i]);
      if (!(error <= TOLERANCE)) {
        return Optional.of(String.format(Locale.ROOT, "%s off by %s of its largest value",
            what[i], Double.isNaN(error) ? "NaN" : String.format(Locale.ROOT, "%.2g", error)));
      }
    }
    return Optional.empty();
  }

  /** Output and, when {@code dOutput} is given, the input's and the filter's gradients. */
  private float[][] run(ConvSpec spec, ConvPath path, boolean repad, String device,
      long[] xShape, float[] x, long[] filterShape, float[] filter, long[] dyShape,
      float[] dOutput) {
    try (Graph graph = new Graph(); Session session = new Session(graph, session(device));
        TFloat32 xt = tensor(xShape, x); TFloat32 ft = tensor(filterShape, filter);
        TFloat32 dyt = dOutput == null ? null : tensor(dyShape, dOutput)) {
      Ops tf = onDevice(Ops.create(graph), device);
      // placeholders, so that graph optimization cannot fold the kernels away
      Placeholder<TFloat32> input = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(xShape)));
      Placeholder<TFloat32> weights = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(filterShape)));
      Placeholder<TFloat32> dy = tf.placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(dyShape)));
      Operand<TFloat32> y = builder.build(tf, input, weights, spec, path, repad);
      Session.Runner runner = session.runner().feed(input, xt).feed(weights, ft).fetch(y);
      if (dyt != null) {
        Output<?>[] grads = graph.addGradients("kernel_check",
            new Output<?>[] {y.asOutput()}, new Output<?>[] {input.asOutput(), weights.asOutput()},
            new Output<?>[] {dy.asOutput()});
        runner.feed(dy, dyt).fetch(grads[0]).fetch(grads[1]);
      }
      try (Result result = runner.run()) {
        float[][] values = new float[result.size()][];
        for (int i = 0; i < values.length; i++) {
          TFloat32 t = (TFloat32) result.get(i);
          values[i] = new float[Math.toIntExact(t.size())];
          t.copyTo(DataBuffers.of(values[i], false, false));
        }
        return values;
      }
    }
  }

  /** As the network's sessions: ops without a kernel on the asked device run on the CPU. */
  private static final ConfigProto SESSION = ConfigProto.newBuilder()
      .setAllowSoftPlacement(true)
      .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true))
      .build();

  /**
   * {@link #SESSION} without Grappler, for checks on the CPU: it rewrites a lone convolution in
   * nothing on the CPU (its fusions need a BatchNorm or bias after it; oneDNN's rewrites are
   * not Grappler's), and skipping it saves about a third of a check. On a GPU its layout
   * optimizer chooses the kernel, so it stays.
   */
  private static final ConfigProto CPU_SESSION = SESSION.toBuilder()
      .setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(
          RewriterConfig.newBuilder().setDisableMetaOptimizer(true)))
      .build();

  private static ConfigProto session(String device) {
    boolean cpu = device.contains("CPU") || (!device.contains("GPU") && Device.visibleGpus() == 0);
    return cpu ? CPU_SESSION : SESSION;
  }

  private static final Pattern DEVICE = Pattern.compile("/device:(CPU|GPU):(\\d+|\\*)");

  /** {@code tf} asking for the device a network's device string names. */
  static Ops onDevice(Ops tf, String device) {
    Matcher m = DEVICE.matcher(device);
    if (!m.find()) {
      return tf;
    }
    DeviceSpec.Builder spec = DeviceSpec.newBuilder().deviceType(
        m.group(1).equals("GPU") ? DeviceSpec.DeviceType.GPU : DeviceSpec.DeviceType.CPU);
    if (!m.group(2).equals("*")) {
      spec.deviceIndex(Integer.parseInt(m.group(2)));
    }
    return tf.withDevice(spec.build());
  }

  /** The largest absolute difference over the reference's largest absolute value. */
  private static double relativeError(float[] reference, float[] found) {
    if (reference.length != found.length) {
      return Double.NaN;
    }
    double scale = 0;
    double error = 0;
    for (int i = 0; i < reference.length; i++) {
      scale = Math.max(scale, Math.abs(reference[i]));
      double d = Math.abs((double) reference[i] - found[i]);
      error = Double.isNaN(d) || Double.isNaN(error) ? Double.NaN : Math.max(error, d);
    }
    return error / Math.max(scale, 1e-6);
  }

  /**
   * Uniform multiples of 1/1024 in [−1, 1): cheap to draw, exact in float32, and not in bfloat16,
   * so that a kernel computing in lower precision shows too.
   */
  private static float[] uniform(SplittableRandom random, int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (random.nextInt(2048) - 1024) / 1024f;
    }
    return v;
  }

  private static TFloat32 tensor(long[] shape, float[] values) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
  }

  private static String name(ConvPath path) {
    return path.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
