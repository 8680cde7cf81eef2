package dev.netspec.runtime;

import dev.netspec.runtime.data.Normalization;
import dev.netspec.runtime.layers.Layers;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A built network with its TensorFlow {@link Graph} and {@link Session}: create, predict, read and
 * assign variables. Not thread-safe.
 *
 * <p>{@link #create} reads the generated class's {@code INPUT_CHANNELS}, {@code INPUT_HEIGHT} and
 * {@code INPUT_WIDTH} constants (-1 = known only at run time), makes the {@code images}
 * placeholder {@code [-1, height, width, channels]}, calls its static {@code build(Ops,
 * Operand<TFloat32>, Mode)} and initializes every variable from the seed.
 */
public final class Model<G extends NetworkGraph> implements AutoCloseable {

  /** Variables are filled in chunks of about this many elements per session run. */
  private static final long INIT_CHUNK = 1L << 24;

  /** The images a network takes: -1 for a side known only at run time, then at least minSide. */
  private record ImageShape(int channels, int height, int width, int minSide) {}

  private final Mode mode;
  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final Operand<TFloat32> images;
  private final RawImages raw;
  private final G network;
  /** What predict fetches: the output, or an identity of it when it is the fed placeholder. */
  private final Operand<TFloat32> fetched;
  private final ImageShape input;
  private Startup startup;
  private final VariableAssigner assigner;
  private boolean closed;

  private Model(Mode mode, Graph graph, Session session, Ops tf,
      Operand<TFloat32> images, RawImages raw, G network, ImageShape input) {
    this.mode = mode;
    this.graph = graph;
    this.session = session;
    this.tf = tf;
    this.images = images;
    this.raw = raw;
    this.network = network;
    Operand<TFloat32> output = network.output();
    this.fetched = output.op().name().equals(images.op().name()) ? tf.identity(output) : output;
    this.input = input;
    this.assigner = new VariableAssigner(tf, "assign");
  }

  /** What creating the model took: building the graph, opening the session, initializing. */
  public record Startup(long graphNanos, long sessionNanos, long initializeNanos) {}

  /** The one-time costs of {@link #create}. */
  public Startup startup() {
    return startup;
  }

  /** Builds a network into a graph: what a generated class's static {@code build} does. */
  @FunctionalInterface
  public interface Builder<G extends NetworkGraph> {
    G build(Ops tf, Operand<TFloat32> images, Mode mode);
  }

  /**
   * Builds {@code network} for {@code mode} and initializes its variables deterministically from
   * {@code seed}: each variable's values depend only on the seed and its name.
   */
  public static <G extends NetworkGraph> Model<G> create(Class<G> network, Mode mode, long seed) {
    return create(network, mode, seed, Device.auto());
  }

  /**
   * {@link #create(Class, Mode, long)} on a chosen device: {@code Device.cpu()}, {@code
   * Device.gpu(0)}, ... A GPU that is not visible falls back to the CPU with one warning, or
   * fails if the device is {@link Device#strictly() strict}.
   */
  public static <G extends NetworkGraph> Model<G> create(
      Class<G> network, Mode mode, long seed, Device device) {
    return create(network, mode, seed, ModelOptions.defaults().withDevice(device));
  }

  /** {@link #create(Class, Mode, long)} with a device and a thread count. */
  public static <G extends NetworkGraph> Model<G> create(
      Class<G> network, Mode mode, long seed, ModelOptions options) {
    return create(network, mode, seed, options, null);
  }

  /**
   * A second way into a network: raw pixel values, 0 to 255 as image decoders give them, that the
   * graph normalizes itself.
   *
   * @param placeholder the {@code raw_images} placeholder, shaped as {@link #images()}
   * @param normalization what turns {@code raw / 255} into the network's input
   */
  public record RawImages(Operand<TFloat32> placeholder, Normalization normalization) {}

  /**
   * {@code network} for serving: built for {@link Mode#INFERENCE} as {@link #create(Class, Mode,
   * long, ModelOptions)} builds it, and taking either normalized images through {@link
   * #images()}, which then is a placeholder with a default, or raw ones through {@link
   * #rawImages()}: {@code (raw / 255 - mean) / std} per channel in the graph.
   *
   * @throws IllegalArgumentException when {@code normalization} has other channels than the
   *     network
   */
  public static <G extends NetworkGraph> Model<G> createServing(
      Class<G> network, Normalization normalization, ModelOptions options) {
    return create(network, Mode.INFERENCE, 0L, options,
        Objects.requireNonNull(normalization, "normalization"));
  }

  private static <G extends NetworkGraph> Model<G> create(Class<G> network, Mode mode, long seed,
      ModelOptions options, Normalization rawNormalization) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(options, "options");
    NetworkDescription description = NetworkDescription.of(network);
    Builder<G> builder;
    if (options.memoryEfficient()) {
      // the Layers overload, which generated classes have, takes the option to the blocks
      Method build = buildMethod(network, Layers.class, Operand.class, String.class);
      String last = description.stages().get(description.stages().size() - 1).name();
      builder = (tf, images, m) ->
          network.cast(invoke(build, Layers.create(tf, m, true), images, last));
    } else {
      Method build = buildMethod(network, Ops.class, Operand.class, Mode.class);
      builder = (tf, images, m) -> network.cast(invoke(build, tf, images, m));
    }
    return create(builder,
        new ImageShape(description.inputChannels(), description.inputHeight(),
            description.inputWidth(), Math.max(1, description.minInputSize())), mode, seed, options,
        rawNormalization);
  }

  /**
   * Builds a network from {@code builder} on an {@code images} placeholder {@code [-1, height,
   * width, channels]} (-1 = known at run time) and initializes its variables from {@code seed}.
   */
  public static <G extends NetworkGraph> Model<G> create(
      Builder<G> builder, int channels, int height, int width, Mode mode, long seed) {
    return create(builder, new ImageShape(channels, height, width, 1), mode, seed,
        ModelOptions.defaults(), null);
  }

  /** Builds and initializes the model; {@code normalization} is null or that of raw images. */
  private static <G extends NetworkGraph> Model<G> create(Builder<G> builder, ImageShape input,
      Mode mode, long seed, ModelOptions options, Normalization normalization) {
    Objects.requireNonNull(options, "options");
    Device placed = DevicePlacement.resolve(options.device());
    long start = System.nanoTime();
    int channels = input.channels();
    int height = input.height();
    int width = input.width();
    int batch = options.batch();
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(mode, "mode");
    if (channels <= 0 || height == 0 || height < -1 || width == 0 || width < -1) {
      throw new IllegalArgumentException("input channels=" + channels + ", height=" + height
          + ", width=" + width + ": channels must be positive, height and width positive or -1");
    }
    if (normalization != null && normalization.channels() != channels) {
      throw new IllegalArgumentException("the normalization of raw images has "
          + normalization.channels() + " channels, the network takes " + channels);
    }
    Graph graph = new Graph();
    Session session = null;
    try {
      Ops tf = DevicePlacement.place(Ops.create(graph), placed);
      Shape shape = Shape.of(batch > 0 ? batch : -1, height, width, channels);
      RawImages raw = null;
      Operand<TFloat32> images;
      if (normalization == null) {
        images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(shape));
      } else {
        raw = new RawImages(tf.withName("raw_images").placeholder(TFloat32.class,
            Placeholder.shape(shape)), normalization);
        images = tf.withName("images").placeholderWithDefault(
            normalized(tf, raw.placeholder(), normalization), shape);
      }
      // Grappler takes a fed placeholder's shape for unknown; EnsureShape states it for good
      Operand<TFloat32> networkInput = batch > 0 ? tf.ensureShape(images, images.shape()) : images;
      G built = builder.build(tf, networkInput, mode);
      if (built == null) {
        throw new IllegalStateException("the network's build returned null");
      }
      long graphBuilt = System.nanoTime();
      session = new Session(graph, DevicePlacement.config(placed, options));
      Model<G> model =
          new Model<>(mode, graph, session, tf, images, raw, built, input);
      long sessionOpened = System.nanoTime();
      model.initialize(seed);
      model.startup = new Startup(graphBuilt - start, sessionOpened - graphBuilt,
          System.nanoTime() - sessionOpened);
      return model;
    } catch (RuntimeException | Error e) {
      if (session != null) {
        session.close();
      }
      graph.close();
      throw e;
    }
  }

  /** {@code (raw / 255 - mean) / std}, as {@link Normalization#apply} on decoded pixels. */
  private static Operand<TFloat32> normalized(Ops tf, Operand<TFloat32> raw,
      Normalization normalization) {
    Operand<TFloat32> unit = tf.math.div(raw, tf.constant(255f));
    return tf.math.div(tf.math.sub(unit, tf.constant(normalization.mean())),
        tf.constant(normalization.std()));
  }

  private static Method buildMethod(Class<?> network, Class<?>... parameters) {
    String signature = "build(" + String.join(", ",
        Arrays.stream(parameters).map(Class::getSimpleName).toList()) + ")";
    try {
      Method build = network.getMethod("build", parameters);
      if (!Modifier.isStatic(build.getModifiers())
          || !network.isAssignableFrom(build.getReturnType())) {
        throw new IllegalArgumentException(network.getName() + "." + signature
            + " must be static and return " + network.getSimpleName());
      }
      return build;
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(network.getName() + " has no public static "
          + signature + "; is it a generated network class?", e);
    }
  }

  private static Object invoke(Method build, Object... args) {
    try {
      return build.invoke(null, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("building " + build.getDeclaringClass().getName()
          + " failed", cause);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot call " + build, e);
    }
  }

  /**
   * (Re)fills every variable, trainable or not, from {@code seed}. A variable's values depend only
   * on the seed and its name, not on the order variables were created in.
   */
  public void initialize(long seed) {
    checkOpen();
    Map<String, TFloat32> chunk = new LinkedHashMap<>();
    long elements = 0;
    try {
      for (VariableStore.Entry entry : network.variables().entries()) {
        float[] values = new float[Math.toIntExact(entry.size())];
        entry.init().fill(values, random(seed, entry.name()));
        chunk.put(entry.name(), TFloat32.tensorOf(entry.shape(), DataBuffers.of(values, true,
            false)));
        elements += values.length;
        if (elements >= INIT_CHUNK) {
          assign(chunk);
          closeAll(chunk);
          elements = 0;
        }
      }
      if (!chunk.isEmpty()) {
        assign(chunk);
      }
    } finally {
      closeAll(chunk);
    }
  }

  /** The random generator for one variable: a function of the seed and the variable's name. */
  static SplittableRandom random(long seed, String name) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ hash);
  }

  private static void closeAll(Map<String, TFloat32> tensors) {
    tensors.values().forEach(Tensor::close);
    tensors.clear();
  }

  /**
   * Runs {@code images} (NHWC, the network's channels, and its height and width where fixed)
   * through the network. The caller closes the result.
   *
   * @throws IllegalArgumentException if the images do not fit the network's input
   */
  public TFloat32 predict(TFloat32 images) {
    checkOpen();
    Objects.requireNonNull(images, "images");
    checkImages(images.shape());
    try (Result result = session.runner().feed(this.images, images).fetch(fetched)
        .run()) {
      return copy((TFloat32) result.get(0));
    }
  }

  /**
   * Runs {@code images} once and returns the outputs of the named stages, in the order asked:
   * several feature maps for a neck (FPN, a decoder) from one run. The caller closes them.
   *
   * @param stages stage names, as in the generated class's {@code STAGES} or {@code FEATURES}
   */
  public Map<String, TFloat32> features(TFloat32 images, String... stages) {
    checkOpen();
    Objects.requireNonNull(images, "images");
    checkImages(images.shape());
    if (stages.length == 0) {
      throw new IllegalArgumentException("name at least one stage");
    }
    Session.Runner runner = session.runner().feed(this.images, images);
    for (String stage : stages) {
      runner.fetch(stageOutput(stage));
    }
    Map<String, TFloat32> outputs = new LinkedHashMap<>();
    try (Result result = runner.run()) {
      for (int i = 0; i < stages.length; i++) {
        outputs.put(stages[i], copy((TFloat32) result.get(i)));
      }
    }
    return outputs;
  }

  /** A stage's output, through the generated accessor named after it. */
  private Operand<?> stageOutput(String stage) {
    Object output;
    try {
      output = network.getClass().getMethod(stage).invoke(network);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(network.getClass().getSimpleName() + " has no stage '"
          + stage + "'", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("cannot read stage '" + stage + "'", e);
    }
    if (!(output instanceof Operand<?> operand)) {
      throw new IllegalArgumentException("'" + stage + "' is not a stage of "
          + network.getClass().getSimpleName() + " that was built");
    }
    return operand;
  }

  /**
   * Checks that a batch of images of {@code shape} fits the network's input: NHWC, its channels,
   * its height and width where fixed, no smaller than its windows allow, at least one image, and
   * the model's batch size where {@link ModelOptions#batch() fixed}.
   *
   * @throws IllegalArgumentException with what is wrong and what would fit
   */
  public void checkImages(Shape shape) {
    Objects.requireNonNull(shape, "shape");
    int inputChannels = input.channels();
    int inputHeight = input.height();
    int inputWidth = input.width();
    String expected = "[batch, " + side(inputHeight) + ", " + side(inputWidth) + ", "
        + inputChannels + "] (NHWC)";
    if (shape.numDimensions() != 4) {
      throw new IllegalArgumentException("images must have rank 4, " + expected + "; got shape "
          + shape + " of rank " + shape.numDimensions());
    }
    if (shape.get(0) == 0) {
      // TensorFlow's kernels answer an empty batch with errors about filter depths
      throw new IllegalArgumentException("images must hold at least one image, " + expected
          + "; got shape " + shape);
    }
    if (shape.get(3) != inputChannels) {
      String hint = shape.get(1) == inputChannels ? "; is the batch NCHW? transpose it to NHWC" : "";
      throw new IllegalArgumentException("images must have " + inputChannels
          + " channels in the last dimension, " + expected + "; got shape " + shape + hint);
    }
    if (inputHeight > 0 && shape.get(1) != inputHeight) {
      throw new IllegalArgumentException("images must have height " + inputHeight + ", "
          + expected + "; got shape " + shape);
    }
    if (inputWidth > 0 && shape.get(2) != inputWidth) {
      throw new IllegalArgumentException("images must have width " + inputWidth + ", "
          + expected + "; got shape " + shape);
    }
    long batch = images.shape().get(0);
    if (batch > 0 && shape.get(0) != batch) {
      throw new IllegalArgumentException("this model takes batches of exactly " + batch
          + " images (ModelOptions.withBatch); got shape " + shape);
    }
    if (shape.get(1) < input.minSide() || shape.get(2) < input.minSide()) {
      throw new IllegalArgumentException("images of " + shape.get(1) + "x" + shape.get(2)
          + " are too small for " + network.getClass().getSimpleName() + ": it needs at least "
          + input.minSide() + "x" + input.minSide() + " (its windows and strides leave no pixel"
          + " in a smaller image)");
    }
  }

  private static String side(int size) {
    return size > 0 ? Integer.toString(size) : "any";
  }

  /**
   * Assigns variables by name in one session run; each tensor's shape must equal the variable's.
   * The caller keeps ownership of the tensors.
   */
  public void assign(Map<String, ? extends TFloat32> values) {
    checkOpen();
    if (values.isEmpty()) {
      return;
    }
    Session.Runner runner = session.runner();
    for (Map.Entry<String, ? extends TFloat32> e : values.entrySet()) {
      VariableStore.Entry entry = network.variables().get(e.getKey());
      Shape given = e.getValue().shape();
      if (!given.equals(entry.shape())) {
        throw new IllegalArgumentException("variable '" + entry.name() + "' has shape "
            + entry.shape() + ", the value given has shape " + given);
      }
      assigner.feed(runner, entry.name(), entry.variable(), e.getValue());
    }
    runner.run().close();
  }

  /** Assigns one variable. The caller keeps ownership of the tensor. */
  public void assign(String name, TFloat32 value) {
    assign(Map.of(name, value));
  }

  /** The current value of the variable called {@code name}; the caller closes it. */
  public TFloat32 read(String name) {
    checkOpen();
    VariableStore.Entry entry = network.variables().get(name);
    try (Result result = session.runner().fetch(entry.variable()).run()) {
      return copy((TFloat32) result.get(0));
    }
  }

  /** Every variable's current value by name, in creation order; the caller closes them. */
  public Map<String, TFloat32> readAll() {
    checkOpen();
    List<VariableStore.Entry> entries = network.variables().entries();
    Map<String, TFloat32> values = new LinkedHashMap<>();
    if (entries.isEmpty()) {
      return values;
    }
    Session.Runner runner = session.runner();
    entries.forEach(e -> runner.fetch(e.variable()));
    try (Result result = runner.run()) {
      for (int i = 0; i < entries.size(); i++) {
        values.put(entries.get(i).name(), copy((TFloat32) result.get(i)));
      }
    }
    return values;
  }

  private static TFloat32 copy(TFloat32 source) {
    return TFloat32.tensorOf(source.shape(), target -> source.copyTo(target));
  }

  /** The number of trainable elements, from the live graph's variable shapes. */
  public long parameterCount() {
    long count = 0;
    for (VariableStore.Entry entry : network.variables().entries()) {
      if (entry.trainable()) {
        count += entry.variable().shape().size();
      }
    }
    return count;
  }

  public G network() {
    return network;
  }

  public Mode mode() {
    return mode;
  }

  public Graph graph() {
    return graph;
  }

  public Session session() {
    return session;
  }

  /**
   * The {@code images} placeholder, {@code [-1, height, width, channels]}, normalized images; with
   * a default from {@link #rawImages()} in a model for serving.
   */
  public Operand<TFloat32> images() {
    return images;
  }

  /** The raw images a model {@link #createServing for serving} also takes; empty otherwise. */
  public Optional<RawImages> rawImages() {
    return Optional.ofNullable(raw);
  }

  /** The network's variables (trainable ones and BatchNorm running statistics). */
  public VariableStore variables() {
    return network.variables();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("model is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      session.close();
      graph.close();
    }
  }
}
