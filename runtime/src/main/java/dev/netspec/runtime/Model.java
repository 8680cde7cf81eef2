package dev.netspec.runtime;

import dev.netspec.runtime.data.Normalization;
import dev.netspec.runtime.layers.Layers;
import dev.netspec.runtime.layers.VariableDevices;
import dev.netspec.runtime.onednn.OneDnn;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TargetedSession;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * A built network with its TensorFlow {@link Graph} and {@link Session}: create, predict, read and
 * assign variables. Not thread-safe.
 *
 * <p>{@link #create(NetworkDescriptor, Mode, long)} makes the {@code images} placeholder {@code
 * [-1, height, width, channels]} from the network's {@link NetworkDescriptor#input() input}
 * (-1 = known only at run time), builds the network on it and initializes every variable from
 * the seed.
 *
 * <p>{@link #forMode} builds the same network for another {@link Mode} into the same graph and
 * session, on the same variables: a trainer evaluates what it trains without copying weights.
 */
public final class Model<G extends NetworkGraph> implements AutoCloseable {

  static {
    // TensorFlow reads TF_ENABLE_ONEDNN_OPTS once, when a graph first loads its library
    OneDnn.apply();
  }

  /** Variables are filled in chunks of about this many elements per session run. */
  private static final long INIT_CHUNK = 1L << 24;

  private final Mode mode;
  private final Graph graph;
  private final Session session;
  private final Ops tf;
  private final Operand<TFloat32> images;
  private final RawImages raw;
  /** What the network was built on: {@link #images}, or its shape stated for Grappler. */
  private final Operand<TFloat32> networkInput;
  private final Builder<G> builder;
  private final G network;
  /** The generated class's descriptor; null for a network built by a {@link Builder} alone. */
  private final NetworkDescriptor<G> descriptor;
  /** What predict fetches: the output, or an identity of it when it is the fed placeholder. */
  private final Operand<TFloat32> fetched;
  private final InputShape input;
  private Startup startup;
  private final VariableAssigner assigner;
  /** The model that owns the graph and session; null for the owner itself. */
  private final Model<G> owner;
  /** The owner's builds for other modes, made by {@link #forMode}. */
  private final Map<Mode, Model<G>> otherModes = new EnumMap<>(Mode.class);
  private boolean closed;

  private Model(Mode mode, Graph graph, Session session, Ops tf, Operand<TFloat32> images,
      RawImages raw,      Operand<TFloat32> networkInput, Builder<G> builder, G network,
      NetworkDescriptor<G> descriptor, InputShape input, VariableAssigner assigner,
      Model<G> owner) {
    this.mode = mode;
    this.graph = graph;
    this.session = session;
    this.tf = tf;
    this.images = images;
    this.raw = raw;
    this.networkInput = networkInput;
    this.builder = builder;
    this.network = network;
    this.descriptor = descriptor;
    Operand<TFloat32> output = network.output();
    this.fetched = output.op().name().equals(images.op().name()) ? tf.identity(output) : output;
    this.input = input;
    this.assigner = assigner;
    this.owner = owner;
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
  public static <G extends NetworkGraph> Model<G> create(
      NetworkDescriptor<G> network, Mode mode, long seed) {
    return create(network, mode, seed, ModelOptions.defaults());
  }

  /**
   * {@link #create(NetworkDescriptor, Mode, long)} on a chosen device: {@code Device.cpu()},
   * {@code Device.gpu(0)}, ... A GPU that is not visible falls back to the CPU with one warning,
   * or fails if the device is {@link Device#strictly() strict}.
   */
  public static <G extends NetworkGraph> Model<G> create(
      NetworkDescriptor<G> network, Mode mode, long seed, Device device) {
    return create(network, mode, seed, ModelOptions.defaults().withDevice(device));
  }

  /** {@link #create(NetworkDescriptor, Mode, long)} with a device, threads, a batch size. */
  public static <G extends NetworkGraph> Model<G> create(
      NetworkDescriptor<G> network, Mode mode, long seed, ModelOptions options) {
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
   * {@code network} for serving: built for {@link Mode#INFERENCE} as {@link
   * #create(NetworkDescriptor, Mode, long, ModelOptions)} builds it, and taking either normalized
   * images through {@link #images()}, which then is a placeholder with a default, or raw ones
   * through {@link #rawImages()}: {@code (raw / 255 - mean) / std} per channel in the graph.
   *
   * @throws IllegalArgumentException when {@code normalization} has other channels than the
   *     network
   */
  public static <G extends NetworkGraph> Model<G> createServing(
      NetworkDescriptor<G> network, Normalization normalization, ModelOptions options) {
    return create(network, Mode.INFERENCE, 0L, options,
        Objects.requireNonNull(normalization, "normalization"));
  }

  private static <G extends NetworkGraph> Model<G> create(NetworkDescriptor<G> network, Mode mode,
      long seed, ModelOptions options, Normalization rawNormalization) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(options, "options");
    Set<String> frozen = options.frozenThrough()
        .map(stage -> FrozenStages.through(network, stage)).orElse(Set.of());
    // the Layers build takes the options to the blocks
    Builder<G> builder = options.memoryEfficient() || !frozen.isEmpty()
        ? (tf, images, m) -> network.build(
            Layers.create(tf, m, options.memoryEfficient(), frozen), images,
            network.lastStage().name())
        : network::build;
    InputShape input = network.input();
    return create(builder, network, new InputShape(input.channels(), input.height(),
        input.width(), Math.max(1, input.minSize())), mode, seed, options, rawNormalization);
  }

  /**
   * {@link #create(NetworkDescriptor, Mode, long)} for the generated class {@code network}, by
   * its {@link NetworkDescriptor#of declared descriptor}.
   *
   * @throws IllegalArgumentException if {@code network} is not a generated network class
   */
  public static <G extends NetworkGraph> Model<G> create(Class<G> network, Mode mode, long seed) {
    return create(NetworkDescriptor.of(network), mode, seed);
  }

  /**
   * Builds a network from {@code builder} on an {@code images} placeholder {@code [-1, height,
   * width, channels]} (-1 = known at run time) and initializes its variables from {@code seed}.
   * Such a model has no stage table: {@link #features} needs a {@link NetworkDescriptor}.
   */
  public static <G extends NetworkGraph> Model<G> create(
      Builder<G> builder, int channels, int height, int width, Mode mode, long seed) {
    return create(builder, null, new InputShape(channels, height, width, 1), mode, seed,
        ModelOptions.defaults(), null);
  }

  /** Builds and initializes the model; {@code normalization} is null or that of raw images. */
  private static <G extends NetworkGraph> Model<G> create(Builder<G> builder,
      NetworkDescriptor<G> descriptor, InputShape input, Mode mode, long seed,
      ModelOptions options, Normalization normalization) {
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
      ClusterPlacement cluster = options.cluster().orElse(null);
      Ops tf;
      if (cluster == null) {
        tf = DevicePlacement.place(Ops.create(graph), placed);
      } else {
        tf = Ops.create(graph).withDevice(cluster.compute(placed));
        VariableDevices.placeOn(graph, cluster::variable, cluster.initializes());
      }
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
      ConfigProto config = DevicePlacement.config(placed, options);
      session = cluster == null ? new Session(graph, config)
          : TargetedSession.open(graph, cluster.target(), cluster.filtered(config));
      Model<G> model = new Model<>(mode, graph, session, tf, images, raw, networkInput, builder,
          built,
          descriptor, input, new VariableAssigner(tf, "assign"), null);
      long sessionOpened = System.nanoTime();
      if (cluster == null || cluster.initializes()) {
        model.initialize(seed);
      } else {
        // the shared variables are the chief's to fill; this worker's own statistics are its own
        model.initialize(seed, entry -> !entry.trainable());
      }
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

  /**
   * This network built for {@code mode} too, into this model's graph and session, on the same
   * images placeholder and the same variables: what a training step changes, the other mode's
   * outputs see at once, with nothing copied. Built on the first call and kept; for this model's
   * own mode, this model. The returned model closes with this one; closing it alone closes
   * nothing. Its {@link #startup()} is the time of that build, which grows with the graph it
   * joins (TensorFlow Java reads every op of the graph for each new name scope): where there is a
   * choice, create the model for {@link Mode#INFERENCE}, the smaller graph, and build for {@link
   * Mode#TRAIN} here.
   *
   * @throws IllegalStateException when the build for {@code mode} uses a variable that this
   *     model's does not
   */
  public Model<G> forMode(Mode mode) {
    Objects.requireNonNull(mode, "mode");
    checkOpen();
    if (owner != null) {
      return owner.forMode(mode);
    }
    if (mode == this.mode) {
      return this;
    }
    Model<G> other = otherModes.get(mode);
    if (other == null) {
      other = buildFor(mode);
      otherModes.put(mode, other);
    }
    return other;
  }

  private Model<G> buildFor(Mode other) {
    long start = System.nanoTime();
    G built = builder.build(tf, networkInput, other);
    if (built == null) {
      throw new IllegalStateException("the network's build returned null");
    }
    for (VariableStore.Entry entry : built.variables().entries()) {
      if (!network.variables().contains(entry.name())) {
        // it would start uninitialized, whatever this model was trained or loaded to
        throw new IllegalStateException("built for " + other + ", the network uses variable '"
            + entry.name() + "', which its build for " + mode + " lacks: a network's modes must"
            + " use the same variables");
      }
    }
    Model<G> model = new Model<>(other, graph, session, tf, images, raw, networkInput, builder,
        built,
        descriptor, input, assigner, this);
    model.startup = new Startup(System.nanoTime() - start, 0, 0);
    return model;
  }

  /**
   * (Re)fills every variable, trainable or not, from {@code seed}. A variable's values depend only
   * on the seed and its name, not on the order variables were created in.
   */
  public void initialize(long seed) {
    initialize(seed, entry -> true);
  }

  /** Fills the variables that {@code which} accepts, as {@link #initialize(long)} does. */
  private void initialize(long seed, Predicate<VariableStore.Entry> which) {
    checkOpen();
    Map<String, TFloat32> chunk = new LinkedHashMap<>();
    long elements = 0;
    try {
      for (VariableStore.Entry entry : network.variables().entries()) {
        if (!which.test(entry)) {
          continue;
        }
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
   * @param stages stage names, as in the descriptor's {@link NetworkDescriptor#stages() stages}
   *     or {@link NetworkDescriptor#features() features}
   * @throws IllegalStateException if the model was built from a {@link Builder} alone
   */
  public Map<String, TFloat32> features(TFloat32 images, String... stages) {
    checkOpen();
    Objects.requireNonNull(images, "images");
    checkImages(images.shape());
    if (stages.length == 0) {
      throw new IllegalArgumentException("name at least one stage");
    }
    Session.Runner runner = session.runner().feed(this.images, images);
    // A stage that passes its input on (a dropout in inference) shares the output of the stage
    // before it, or the images: a run fetches each output once, and no fed one.
    Map<String, Integer> fetches = new LinkedHashMap<>();
    int[] fetchOf = new int[stages.length];
    for (int i = 0; i < stages.length; i++) {
      Output<?> output = stageOutput(stages[i]).asOutput();
      String name = output.op().name() + ":" + output.index();
      if (output.op().name().equals(this.images.op().name())) {
        fetchOf[i] = FED;
        continue;
      }
      if (!fetches.containsKey(name)) {
        fetches.put(name, fetches.size());
        runner.fetch(output);
      }
      fetchOf[i] = fetches.get(name);
    }
    Map<String, TFloat32> outputs = new LinkedHashMap<>();
    try (Result result = fetches.isEmpty() ? null : runner.run()) {
      for (int i = 0; i < stages.length; i++) {
        if (!outputs.containsKey(stages[i])) {
          outputs.put(stages[i],
              copy(fetchOf[i] == FED ? images : (TFloat32) result.get(fetchOf[i])));
        }
      }
    }
    return outputs;
  }

  /** In {@link #features}: a stage whose output is the fed images. */
  private static final int FED = -1;

  /** A stage's output, as the network's descriptor finds it. */
  private Operand<TFloat32> stageOutput(String stage) {
    if (descriptor == null) {
      throw new IllegalStateException("this model was built from a Builder, without a "
          + "NetworkDescriptor: it has no stage table to read '" + stage + "' from");
    }
    return descriptor.stageOutput(network, stage);
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
    if (shape.get(1) < input.minSize() || shape.get(2) < input.minSize()) {
      throw new IllegalArgumentException("images of " + shape.get(1) + "x" + shape.get(2)
          + " are too small for " + network.getClass().getSimpleName() + ": it needs at least "
          + input.minSize() + "x" + input.minSize() + " (its windows and strides leave no pixel"
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

  /** The network's descriptor; empty for a model built from a {@link Builder} alone. */
  public Optional<NetworkDescriptor<G>> descriptor() {
    return Optional.ofNullable(descriptor);
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
    if (closed || owner != null && owner.closed) {
      throw new IllegalStateException("model is closed");
    }
  }

  /** Closes the session and the graph; a model from {@link #forMode} only stops being usable. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (owner == null) {
        session.close();
        graph.close();
      }
    }
  }
}
