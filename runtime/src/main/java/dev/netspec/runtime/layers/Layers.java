package dev.netspec.runtime.layers;

import dev.netspec.runtime.Init;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.VariableStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.random.RandomUniformInt;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A naming scope plus the network-wide context (mode, default activation, BatchNorm epsilon, fan
 * mode of Kaiming initialization) and the primitives networks are built from. All tensors are
 * float32 NHWC, with PyTorch's semantics.
 *
 * <p>{@code layers.in("layer1").in("0").in("conv1").conv(...)} creates the variable {@code
 * layer1.0.conv1.weight} (TensorFlow op {@code layer1/0/conv1/weight}). Every primitive creates its
 * variables directly in this scope, so two primitives with variables need two scopes.
 *
 * <p>The channel dimension of every result is static; height and width are static whenever the
 * input's are.
 */
public final class Layers {

  /** What every scope of one network shares. */
  private static final class Context {
    final Mode mode;
    final Ops root;
    final boolean memoryEfficient;
    final VariableStore store = new VariableStore();
    int randomOps;
    Operand<TInt64> dropoutSeed;

    Context(Mode mode, Ops root, boolean memoryEfficient) {
      this.mode = mode;
      this.root = root;
      this.memoryEfficient = memoryEfficient;
    }
  }

  /**
   * What a network sets for all its units: the default activation and BatchNorm epsilon, and the
   * fan of Kaiming initialization. A network built inside another (a spec's {@code @Use}) brings
   * its own.
   */
  private record Defaults(Nonlinearity activation, float epsilon, FanMode fanMode) {
    Defaults {
      Objects.requireNonNull(activation, "activation");
      Objects.requireNonNull(fanMode, "fanMode");
      if (!(epsilon > 0)) {
        throw new IllegalArgumentException("BatchNorm epsilon must be > 0, got " + epsilon);
      }
    }
  }

  /** PyTorch's defaults: ReLU, epsilon 1e-5, and torchvision's ResNet initialization (fan-out). */
  private static final Defaults PYTORCH = new Defaults(Nonlinearity.RELU, 1e-5f, FanMode.FAN_OUT);

  /** The seed of the default {@link #DROPOUT_SEED_INPUT}; each dropout op adds its own seed. */
  private static final long DROPOUT_SEED = 0x6E657473L;

  /**
   * The name of the network's int64 scalar input that seeds every dropout mask of one run, present
   * once the network has a dropout in TRAIN. A trainer feeds it (e.g. the step number), so that
   * the masks depend only on what it feeds and a resumed run draws exactly the masks an
   * uninterrupted one would; unfed, it is drawn afresh on every run.
   */
  public static final String DROPOUT_SEED_INPUT = "dropout_seed";

  private final Ops tf;
  private final Context context;
  private final Defaults defaults;
  private final String prefix;

  private Layers(Ops tf, Context context, Defaults defaults, String prefix) {
    this.tf = tf;
    this.context = context;
    this.defaults = defaults;
    this.prefix = prefix;
  }

  /** The root scope of a network with PyTorch's defaults; see {@link #withDefaults}. */
  public static Layers create(Ops tf, Mode mode) {
    return create(tf, mode, false);
  }

  /**
   * The root scope of a network with PyTorch's defaults.
   *
   * @param memoryEfficient in {@link Mode#TRAIN}, dense blocks and padded convolutions compute
   *     more cheap intermediate results (concatenations, both units' BatchNorm and activation,
   *     padded copies of strided convolutions' inputs) again in the backward pass instead of
   *     keeping them alive; dense blocks always recompute each layer's first activation
   */
  public static Layers create(Ops tf, Mode mode, boolean memoryEfficient) {
    Objects.requireNonNull(tf, "tf");
    Objects.requireNonNull(mode, "mode");
    return new Layers(tf, new Context(mode, tf, memoryEfficient), PYTORCH, "");
  }

  /**
   * The root scope of a network.
   *
   * @param activation the network's default activation, used by blocks unless they set their own
   * @param epsilon the network's default BatchNorm epsilon
   * @param fanMode which fan Kaiming initialization of convolution weights divides by
   */
  public static Layers create(
      Ops tf, Mode mode, Nonlinearity activation, float epsilon, FanMode fanMode) {
    return create(tf, mode).withDefaults(activation, epsilon, fanMode);
  }

  /**
   * This scope with other network-wide defaults; variables and mode stay shared. How a generated
   * network applies its {@code @Network} settings, also when built inside another network.
   */
  public Layers withDefaults(Nonlinearity activation, float epsilon, FanMode fanMode) {
    return new Layers(tf, context, new Defaults(activation, epsilon, fanMode), prefix);
  }

  /**
   * A child scope: TensorFlow sub-scope {@code name} and variable-name prefix {@code name.};
   * shares this network's variables.
   */
  public Layers in(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || name.contains(".") || name.contains("/")) {
      throw new IllegalArgumentException(
          "scope name must be non-empty and contain neither '.' nor '/': '" + name + "'");
    }
    return new Layers(tf.withSubScope(name), context, defaults, prefix + name + ".");
  }

  public Ops tf() {
    return tf;
  }

  /** Whether this network trains memory-efficiently: see {@link #create(Ops, Mode, boolean)}. */
  public boolean memoryEfficient() {
    return context.memoryEfficient && training();
  }

  public Mode mode() {
    return context.mode;
  }

  public boolean training() {
    return context.mode == Mode.TRAIN;
  }

  /** The network's default activation. */
  public Nonlinearity activation() {
    return defaults.activation();
  }

  /** The network's default BatchNorm epsilon. */
  public float epsilon() {
    return defaults.epsilon();
  }

  public FanMode fanMode() {
    return defaults.fanMode();
  }

  public VariableStore store() {
    return context.store;
  }

  /** This scope's variable-name prefix: "" at the root, else e.g. {@code "layer1.0."}. */
  public String prefix() {
    return prefix;
  }

  /**
   * Creates variable {@code prefix + name} in this scope and registers it; building blocks beyond
   * the primitives below create their variables through this.
   */
  public Variable<TFloat32> variable(String name, Shape shape, Init init, boolean trainable) {
    String fullName = prefix + name;
    context.store.checkFree(fullName);
    Variable<TFloat32> variable = tf.withName(name).variable(shape, TFloat32.class);
    context.store.add(new VariableStore.Entry(fullName, variable, shape, init, trainable));
    return variable;
  }

  /** The variable's value as an ordinary tensor (gradients are taken through this identity). */
  public Operand<TFloat32> read(Variable<TFloat32> variable) {
    return tf.identity(variable);
  }

  /** Concatenates NHWC tensors along the channels; one tensor is returned as it is. */
  public Operand<TFloat32> concatChannels(List<Operand<TFloat32>> parts) {
    require(!parts.isEmpty(), "concatChannels: nothing to concatenate");
    return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(3));
  }

  // ---------------------------------------------------------------------------------------------
  // Convolution

  /**
   * PyTorch's {@code Conv2d}: symmetric zero padding, then a VALID convolution. Variables {@code
   * weight} {@code [kernel, kernel, in/groups, outChannels]} (Kaiming normal, gain √2, fan as
   * PyTorch computes it for the OIHW layout) and, with {@code bias}, {@code bias} {@code
   * [outChannels]} (zeros).
   */
  public Operand<TFloat32> conv(
      Operand<TFloat32> x,
      int outChannels,
      int kernel,
      int stride,
      int padding,
      int dilation,
      int groups,
      boolean bias) {
    int in = channels(x, "conv");
    require(outChannels >= 1, "conv: channels must be >= 1, got " + outChannels);
    require(kernel >= 1, "conv: kernel must be >= 1, got " + kernel);
    require(stride >= 1, "conv: stride must be >= 1, got " + stride);
    require(padding >= 0, "conv: padding must be >= 0, got " + padding);
    require(dilation >= 1, "conv: dilation must be >= 1, got " + dilation);
    require(groups >= 1 && in % groups == 0 && outChannels % groups == 0,
        "conv: " + groups + " groups must divide both the " + in + " input and the "
            + outChannels + " output channels");
    long reach = (long) dilation * (kernel - 1) + 1;
    for (int axis = 1; axis <= 2; axis++) {
      long size = x.shape().get(axis);
      require(size < 0 || size + 2L * padding >= reach,
          "conv: a " + kernel + "x" + kernel + " kernel (dilation " + dilation + ") does not fit a "
              + (axis == 1 ? "height" : "width") + " of " + size + " padded by " + padding);
    }
    long fan = defaults.fanMode() == FanMode.FAN_IN
        ? (long) (in / groups) * kernel * kernel
        : (long) outChannels * kernel * kernel;
    Variable<TFloat32> weight = variable(
        "weight", Shape.of(kernel, kernel, in / groups, outChannels), Init.kaimingNormal(fan), true);
    ConvSpec spec = new ConvSpec(in, outChannels, groups, kernel, stride, padding, dilation);
    ConvPath path = KernelCheck.process().path(spec, training(), memoryEfficient(),
        tf.scope().getDeviceString());
    Operand<TFloat32> y = new Convolution(tf).build(x, read(weight), spec, path, memoryEfficient());
    if (bias) {
      Variable<TFloat32> b = variable("bias", Shape.of(outChannels), Init.zeros(), true);
      y = tf.nn.biasAdd(y, read(b));
    }
    return y;
  }

  // ---------------------------------------------------------------------------------------------
  // Normalization and activation

  /**
   * PyTorch's {@code BatchNorm2d} over the last axis ({@code BatchNorm1d} for {@code [N, C]}). Variables {@code weight} (ones), {@code bias}
   * (zeros), {@code running_mean} (zeros) and {@code running_var} (ones), the last two not
   * trainable. In TRAIN it normalizes with the batch mean and biased batch variance and updates
   * {@code running = (1 - momentum) · running + momentum · batch} (unbiased variance for {@code
   * running_var}); the updates are control dependencies of the output and are listed in {@link
   * VariableStore#updateOps()}. In INFERENCE it normalizes with the running statistics.
   */
  public Operand<TFloat32> batchNorm(Operand<TFloat32> x, float epsilon, float momentum) {
    if (x.shape().numDimensions() == 2 && x.shape().get(1) > 0) {
      // [N, C] (after a dense layer): BatchNorm1d, computed as [N, 1, 1, C]
      long c = x.shape().get(1);
      Operand<TFloat32> y = batchNorm(tf.reshape(x, tf.constant(new long[] {-1, 1, 1, c})),
          epsilon, momentum);
      return tf.reshape(y, tf.constant(new long[] {-1, c}));
    }
    NormVariables v = batchNormVariables(x, epsilon, momentum);
    if (!training()) {
      // one op that Grappler fuses into the convolution before it (and the ReLU after it)
      return tf.nn.fusedBatchNorm(x, read(v.gamma()), read(v.beta()), read(v.runningMean()),
          read(v.runningVar()), FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(false),
          FusedBatchNorm.dataFormat("NHWC")).y();
    }
    return normalizeInTraining(x, v, epsilon, momentum).y();
  }

  /**
   * A BatchNorm in training: its output (which waits for the running statistics' updates) and
   * the {@code FusedBatchNormV3} op, whose reserve outputs hold the batch statistics its gradient
   * reads.
   */
  record TrainingNorm(Operand<TFloat32> y, FusedBatchNorm<TFloat32, TFloat32> op) {}

  /** {@link #batchNorm} of an NHWC tensor in {@link Mode#TRAIN}, with its op. */
  TrainingNorm trainingBatchNorm(Operand<TFloat32> x, float epsilon, float momentum) {
    require(training(), "trainingBatchNorm: the network is built for " + mode());
    return normalizeInTraining(x, batchNormVariables(x, epsilon, momentum), epsilon, momentum);
  }

  private TrainingNorm normalizeInTraining(Operand<TFloat32> x, NormVariables v, float epsilon,
      float momentum) {
    Operand<TFloat32> empty = tf.constant(new float[0]);
    // FusedBatchNormV3 in training: y uses the biased variance, batchVariance is the unbiased one
    FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, read(v.gamma()),
        read(v.beta()), empty, empty, FusedBatchNorm.epsilon(epsilon),
        FusedBatchNorm.isTraining(true), FusedBatchNorm.dataFormat("NHWC"));
    Op updateMean = movingAverage(v.runningMean(), bn.batchMean(), momentum);
    Op updateVar = movingAverage(v.runningVar(), bn.batchVariance(), momentum);
    context.store.addUpdateOp(updateMean);
    context.store.addUpdateOp(updateVar);
    return new TrainingNorm(
        tf.withControlDependencies(List.of(updateMean, updateVar)).identity(bn.y()), bn);
  }

  private record NormVariables(Variable<TFloat32> gamma, Variable<TFloat32> beta,
      Variable<TFloat32> runningMean, Variable<TFloat32> runningVar) {}

  /** Checks a BatchNorm's arguments and makes its variables. */
  private NormVariables batchNormVariables(Operand<TFloat32> x, float epsilon, float momentum) {
    int c = channels(x, "batchNorm");
    require(epsilon > 0, "batchNorm: epsilon must be > 0, got " + epsilon);
    require(momentum >= 0 && momentum <= 1, "batchNorm: momentum must be in [0, 1], got "
        + momentum);
    Shape shape = Shape.of(c);
    return new NormVariables(variable("weight", shape, Init.ones(), true),
        variable("bias", shape, Init.zeros(), true),
        variable("running_mean", shape, Init.zeros(), false),
        variable("running_var", shape, Init.ones(), false));
  }

  private Op movingAverage(Variable<TFloat32> running, Operand<TFloat32> batch, float momentum) {
    Operand<TFloat32> value = tf.math.add(
        tf.math.mul(tf.constant(1f - momentum), read(running)),
        tf.math.mul(tf.constant(momentum), tf.stopGradient(batch)));
    return tf.assign(running, value);
  }

  /**
   * An activation; {@code PRELU} creates variable {@code weight} {@code [channels]} (0.25) in this
   * scope.
   */
  public Operand<TFloat32> activation(Operand<TFloat32> x, Nonlinearity act) {
    Objects.requireNonNull(act, "act");
    switch (act) {
      case NONE:
        return x;
      case RELU:
        return relu(x);
      case RELU6:
        return tf.nn.relu6(x);
      case PRELU: {
        long c = x.shape().get(x.shape().numDimensions() - 1);
        require(x.shape().numDimensions() >= 2 && c > 0,
            "PReLU: expects a static last (channel) dimension, got " + x.shape());
        Variable<TFloat32> slope = variable("weight", Shape.of(c), Init.constant(0.25f), true);
        return tf.math.sub(tf.nn.relu(x), tf.math.mul(read(slope), tf.nn.relu(tf.math.neg(x))));
      }
      case ELU:
        return tf.nn.elu(x);
      case SELU:
        return tf.nn.selu(x);
      case SIGMOID:
        return tf.math.sigmoid(x);
      case TANH:
        // With oneDNN, Grappler fuses an inference BatchNorm and the Tanh after it into one
        // kernel that has no Tanh ("Fusion is not implemented"); EnsureShape, which passes its
        // input on, keeps the two apart.
        return tf.math.tanh(tf.ensureShape(x, x.shape()));
      case SILU:
        return tf.math.mul(x, tf.math.sigmoid(x));
      default:
        throw new IllegalArgumentException("unknown activation " + act);
    }
  }

  /**
   * ReLU. In training its gradient reads the output, not the input as TensorFlow's does, so the
   * input (typically a BatchNorm's output) need not stay alive for the backward pass.
   */
  private Operand<TFloat32> relu(Operand<TFloat32> x) {
    Operand<TFloat32> y = tf.nn.relu(x);
    if (!training()) {
      return y;
    }
    return GradientRoute.route(tf, "relu_gradient", y, List.of(x), (ops, result, inputs, dResult) ->
        List.of(ops.nn.reluGrad(floats(dResult), floats(result))));
  }

  @SuppressWarnings("unchecked")
  static Operand<TFloat32> floats(Operand<?> operand) {
    return (Operand<TFloat32>) operand;
  }

  // ---------------------------------------------------------------------------------------------
  // Pooling

  /** {@link #pool(Operand, Pooling, int, int, int, boolean, boolean)} counting padding (PyTorch's default). */
  public Operand<TFloat32> pool(
      Operand<TFloat32> x, Pooling kind, int kernel, int stride, int padding, boolean ceil) {
    return pool(x, kind, kernel, stride, padding, ceil, true);
  }

  /**
   * PyTorch's {@code MaxPool2d} / {@code AvgPool2d}: symmetric padding ({@code -inf} for max,
   * zeros for average, counted in the divisor when {@code countPadding}, PyTorch's {@code
   * count_include_pad}), and with {@code ceil} PyTorch's ceil mode: a last partial window unless it
   * would start in the right/bottom padding; the part of it beyond the padded input never counts
   * in an average.
   */
  public Operand<TFloat32> pool(
      Operand<TFloat32> x,
      Pooling kind,
      int kernel,
      int stride,
      int padding,
      boolean ceil,
      boolean countPadding) {
    Objects.requireNonNull(kind, "kind");
    int c = channels(x, "pool");
    require(kernel >= 1, "pool: kernel must be >= 1, got " + kernel);
    require(stride >= 1, "pool: stride must be >= 1, got " + stride);
    require(padding >= 0 && padding <= kernel / 2,
        "pool: padding must be between 0 and half the kernel (" + kernel / 2 + "), got " + padding);
    boolean dynamicOverhang = false;
    long[] overhang = new long[3];
    for (int axis = 1; axis <= 2; axis++) {
      long size = x.shape().get(axis);
      if (size < 0) {
        dynamicOverhang |= ceil;
      } else {
        require(PoolGeometry.outputSize(size, kernel, stride, padding, ceil) >= 1,
            "pool: a " + kernel + "x" + kernel + " window does not fit a "
                + (axis == 1 ? "height" : "width") + " of " + size + " padded by " + padding);
        overhang[axis] = PoolGeometry.overhang(size, kernel, stride, padding, ceil);
      }
    }
    boolean overhangs = dynamicOverhang || overhang[1] > 0 || overhang[2] > 0;
    List<Long> window = List.of(1L, (long) kernel, (long) kernel, 1L);
    List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
    if (padding == 0 && !overhangs) {
      return kind == Pooling.MAX
          ? tf.nn.maxPool(x, tf.constant(new int[] {1, kernel, kernel, 1}),
              tf.constant(new int[] {1, stride, stride, 1}), "VALID")
          : tf.nn.avgPool(x, window, strides, "VALID");
    }
    Operand<TInt32> extraH = ceilOverhang(x, 1, kernel, stride, padding, ceil, overhang[1]);
    Operand<TInt32> extraW = ceilOverhang(x, 2, kernel, stride, padding, ceil, overhang[2]);
    Operand<TInt32> amounts = paddings(padding, extraH, extraW);
    Operand<TFloat32> y;
    if (kind == Pooling.MAX) {
      Operand<TFloat32> padded = tf.pad(x, amounts, tf.constant(Float.NEGATIVE_INFINITY));
      y = tf.nn.maxPool(padded, tf.constant(new int[] {1, kernel, kernel, 1}),
          tf.constant(new int[] {1, stride, stride, 1}), "VALID");
    } else {
      Operand<TFloat32> padded = tf.pad(x, amounts, tf.constant(0f));
      y = tf.nn.avgPool(padded, window, strides, "VALID");
      if (overhangs || !countPadding) {
        // AvgPool divides by kernel²; rescale by the share of each window that counts
        Operand<TInt32> maskShape = tf.stack(
            List.of(tf.constant(1), dim(tf, x, 1), dim(tf, x, 2), tf.constant(1)));
        Operand<TFloat32> mask = tf.fill(maskShape, tf.constant(1f));
        mask = tf.pad(mask, paddings(padding, tf.constant(0), tf.constant(0)),
            tf.constant(countPadding ? 1f : 0f));
        mask = tf.pad(mask, paddings(0, extraH, extraW), tf.constant(0f));
        Operand<TFloat32> share = tf.nn.avgPool(mask, window, strides, "VALID");
        y = tf.math.div(y, share);
      }
    }
    return withChannels(tf, y, c);
  }

  /** The ceil-mode overhang along an axis: a constant for a static size, else computed. */
  private Operand<TInt32> ceilOverhang(Operand<TFloat32> x, int axis, int kernel, int stride,
      int padding, boolean ceil, long staticOverhang) {
    if (!ceil || x.shape().get(axis) >= 0) {
      return tf.constant((int) staticOverhang);
    }
    Operand<TInt32> size = dim(tf, x, axis);
    Operand<TInt32> s = tf.constant(stride);
    Operand<TInt32> one = tf.constant(1);
    // out = ceil((size + 2p - k) / s) + 1, less one if the last window starts at or beyond size + p
    Operand<TInt32> out = tf.math.add(
        tf.math.floorDiv(tf.math.add(size, tf.constant(2 * padding - kernel + stride - 1)), s), one);
    Operand<TInt32> lastStart = tf.math.mul(tf.math.sub(out, one), s);
    Operand<TInt32> tooFar = tf.dtypes.cast(
        tf.math.greaterEqual(lastStart, tf.math.add(size, tf.constant(padding))), TInt32.class);
    out = tf.math.sub(out, tooFar);
    Operand<TInt32> reach = tf.math.add(tf.math.mul(tf.math.sub(out, one), s),
        tf.constant(kernel - 2 * padding));
    return tf.math.maximum(tf.math.sub(reach, size), tf.constant(0));
  }

  /** {@code [[0,0],[p, p+extraH],[p, p+extraW],[0,0]]}. */
  private Operand<TInt32> paddings(int p, Operand<TInt32> extraH, Operand<TInt32> extraW) {
    Operand<TInt32> start = tf.constant(p);
    Operand<TInt32> none = tf.constant(new int[] {0, 0});
    return tf.stack(List.of(none,
        tf.stack(List.of(start, tf.math.add(start, extraH))),
        tf.stack(List.of(start, tf.math.add(start, extraW))),
        none));
  }

  /** Average or maximum over height and width: {@code [N, H, W, C] -> [N, C]}. */
  public Operand<TFloat32> globalPool(Operand<TFloat32> x, Pooling kind) {
    channels(x, "globalPool");
    Operand<TInt32> axes = tf.constant(new int[] {1, 2});
    return kind == Pooling.MAX ? tf.max(x, axes) : tf.math.mean(x, axes);
  }

  // ---------------------------------------------------------------------------------------------
  // Heads

  /**
   * Inverted dropout in TRAIN; the identity in INFERENCE or when {@code rate} is 0. The mask is a
   * stateless function of this op's position in the network and the {@link #DROPOUT_SEED_INPUT}.
   */
  public Operand<TFloat32> dropout(Operand<TFloat32> x, float rate) {
    require(rate >= 0 && rate < 1, "dropout: rate must be in [0, 1), got " + rate);
    if (!training() || rate == 0) {
      return x;
    }
    long opSeed = fnv64(prefix) + 31L * context.randomOps++;
    Operand<TInt64> seed = tf.stack(List.of(tf.constant(opSeed), dropoutSeed()));
    Operand<TFloat32> uniform =
        tf.random.statelessRandomUniform(tf.shape(x), seed, TFloat32.class);
    Operand<TFloat32> keep = tf.dtypes.cast(
        tf.math.greaterEqual(uniform, tf.constant(rate)), TFloat32.class);
    return tf.math.mul(x, tf.math.mul(keep, tf.constant(1f / (1f - rate))));
  }

  /** The network's dropout seed input, made on first use: fed by a trainer, else random. */
  private Operand<TInt64> dropoutSeed() {
    if (context.dropoutSeed == null) {
      Ops root = context.root;
      Operand<TInt64> drawn = root.random.randomUniformInt(root.constant(new int[0]),
          root.constant(0L), root.constant(Long.MAX_VALUE), RandomUniformInt.seed(DROPOUT_SEED),
          RandomUniformInt.seed2(1L));
      context.dropoutSeed =
          root.withName(DROPOUT_SEED_INPUT).placeholderWithDefault(drawn, Shape.scalar());
    }
    return context.dropoutSeed;
  }

  /**
   * PyTorch's {@code Linear} on {@code [N, in]}: variables {@code weight} {@code [in, units]} and
   * {@code bias} {@code [units]}, both uniform on ±1/√in as PyTorch initializes them.
   */
  public Operand<TFloat32> linear(Operand<TFloat32> x, int units, boolean bias) {
    require(x.shape().numDimensions() == 2 && x.shape().get(1) > 0,
        "linear: expects [batch, features] with static features, got " + x.shape());
    require(units >= 1, "linear: units must be >= 1, got " + units);
    long in = x.shape().get(1);
    float bound = (float) (1.0 / Math.sqrt(in));
    Variable<TFloat32> weight = variable("weight", Shape.of(in, units), Init.uniform(bound), true);
    Operand<TFloat32> y = tf.linalg.matMul(x, read(weight));
    if (bias) {
      Variable<TFloat32> b = variable("bias", Shape.of(units), Init.uniform(bound), true);
      y = tf.nn.biasAdd(y, read(b));
    }
    return y;
  }

  /** {@code [N, H, W, C] -> [N, H·W·C]} (NHWC order); height and width must be static. */
  public Operand<TFloat32> flatten(Operand<TFloat32> x) {
    Shape shape = x.shape();
    require(shape.numDimensions() == 4 && shape.get(1) > 0 && shape.get(2) > 0
        && shape.get(3) > 0, "flatten: needs a static height, width and channels, got " + shape);
    long features = shape.get(1) * shape.get(2) * shape.get(3);
    return tf.reshape(x, tf.constant(new long[] {-1, features}));
  }

  /**
   * {@code x / max(‖x‖₂, 1e-12)} over each row of {@code [N, F]}, as PyTorch's {@code
   * F.normalize}: embeddings whose dot product is their cosine similarity.
   */
  public Operand<TFloat32> l2Normalize(Operand<TFloat32> x) {
    require(x.shape().numDimensions() == 2, "l2Normalize: expects flat [batch, features], got " + x.shape());
    Operand<TFloat32> squares = tf.reduceSum(tf.math.mul(x, x), tf.constant(new int[] {1}),
        ReduceSum.keepDims(true));
    // max(‖x‖, 1e-12) = sqrt(max(‖x‖², 1e-24)).
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squares, tf.constant(1e-24f))));
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** The static channel count of an NHWC tensor. */
  static int channels(Operand<TFloat32> x, String what) {
    Shape shape = x.shape();
    if (shape.isUnknown() || shape.numDimensions() != 4 || shape.get(3) < 0) {
      throw new IllegalArgumentException(
          what + ": expects [batch, height, width, channels] with static channels, got " + shape);
    }
    return (int) shape.get(3);
  }

  /** The size of {@code axis}: a constant when static, else read at run time. */
  static Operand<TInt32> dim(Ops tf, Operand<TFloat32> x, int axis) {
    long size = x.shape().get(axis);
    if (size >= 0) {
      return tf.constant((int) size);
    }
    return tf.stridedSlice(tf.shape(x), Indices.at(axis));
  }

  /** Re-states a static channel count that an op with run-time arguments lost. */
  static Operand<TFloat32> withChannels(Ops tf, Operand<TFloat32> y, long channels) {
    Shape shape = y.shape();
    if (!shape.isUnknown() && shape.numDimensions() == 4 && shape.get(3) == channels) {
      return y;
    }
    Operand<TInt32> leading = tf.stridedSlice(tf.shape(y), Indices.range(0, 3));
    return tf.reshape(y, tf.concat(
        List.of(leading, tf.constant(new int[] {(int) channels})), tf.constant(0)));
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  private static long fnv64(String s) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
