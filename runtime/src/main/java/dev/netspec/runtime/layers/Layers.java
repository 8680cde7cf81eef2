package dev.netspec.runtime.layers;

import dev.netspec.runtime.Init;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.VariableStore;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The primitives networks are built from, applied in a scope of one network build: names,
 * variables, mode and network-wide settings (default activation, BatchNorm epsilon, fan mode of
 * Kaiming initialization). All tensors are float32 NHWC, with PyTorch's semantics.
 *
 * <p>{@code layers.in("layer1").in("0").in("conv1").conv(...)} uses the variable {@code
 * layer1.0.conv1.weight} (TensorFlow op {@code layer1/0/conv1/weight}). Every primitive puts its
 * variables directly in its scope, so two primitives with variables need two scopes.
 *
 * <p>Variables are the graph's, by full name: building the same network again into the same
 * graph, for instance for {@link Mode#INFERENCE} beside a {@link Mode#TRAIN} build, uses the
 * variables of the first build (their shapes must agree) instead of making new ones, so both see
 * every training step's weights and BatchNorm statistics.
 *
 * <p>The channel dimension of every result is static; height and width are static whenever the
 * input's are.
 */
public final class Layers {

  /**
   * The name of the graph's int64 scalar input that seeds every dropout mask of one run, present
   * once a network has a dropout in TRAIN. A trainer feeds it (e.g. the step number), so that
   * the masks depend only on what it feeds and a resumed run draws exactly the masks an
   * uninterrupted one would; unfed, it is drawn afresh on every run.
   */
  public static final String DROPOUT_SEED_INPUT = DropoutSeeds.INPUT;

  /** BatchNorm momentum unless a network sets its own: PyTorch's default. */
  public static final float MOMENTUM = 0.1f;

  private final NetworkScope scope;

  private Layers(NetworkScope scope) {
    this.scope = scope;
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
    return create(tf, mode, memoryEfficient, Set.of());
  }

  /**
   * The root scope of a network with some stages frozen for fine-tuning.
   *
   * @param frozenStages stage names (the root's child scopes): each is built as for {@link
   *     Mode#INFERENCE} whatever {@code mode} is (BatchNorm on its running statistics, which it
   *     leaves as they are; no dropout), and its variables are {@link VariableStore#isFrozen
   *     frozen}: left out of what a training step updates
   */
  public static Layers create(Ops tf, Mode mode, boolean memoryEfficient,
      Set<String> frozenStages) {
    return new Layers(NetworkScope.root(tf, mode, memoryEfficient,
        Objects.requireNonNull(frozenStages, "frozenStages")));
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
    return new Layers(scope.withSettings(new NetworkSettings(activation, epsilon, fanMode)));
  }

  /**
   * A child scope: TensorFlow sub-scope {@code name} and variable-name prefix {@code name.};
   * shares this network's variables.
   */
  public Layers in(String name) {
    return new Layers(scope.in(name));
  }

  NetworkScope scope() {
    return scope;
  }

  public Ops tf() {
    return scope.tf();
  }

  /** Whether this network trains memory-efficiently: see {@link #create(Ops, Mode, boolean)}. */
  public boolean memoryEfficient() {
    return scope.memoryEfficient();
  }

  /** The mode this scope builds in: the network's, or {@link Mode#INFERENCE} in a frozen stage. */
  public Mode mode() {
    return scope.mode();
  }

  public boolean training() {
    return scope.training();
  }

  /** The network's default activation. */
  public Nonlinearity activation() {
    return scope.settings().activation();
  }

  /** The network's default BatchNorm epsilon. */
  public float epsilon() {
    return scope.settings().epsilon();
  }

  public FanMode fanMode() {
    return scope.settings().fanMode();
  }

  /** The variables this build uses, and its BatchNorm running-statistics updates. */
  public VariableStore store() {
    return scope.store();
  }

  /** This scope's variable-name prefix: "" at the root, else e.g. {@code "layer1.0."}. */
  public String prefix() {
    return scope.prefix();
  }

  /**
   * Variable {@code prefix + name} of this scope: the graph's when an earlier build made it, else
   * a new one; building blocks beyond the primitives below get their variables through this.
   */
  public Variable<TFloat32> variable(String name, Shape shape, Init init, boolean trainable) {
    return scope.variable(name, shape, init, trainable);
  }

  /** The variable's value as an ordinary tensor (gradients are taken through this identity). */
  public Operand<TFloat32> read(Variable<TFloat32> variable) {
    return scope.read(variable);
  }


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
    return ConvLayer.apply(scope, x, outChannels, kernel, stride, padding, dilation, groups, bias);
  }

  /**
   * PyTorch's {@code BatchNorm2d} over the last axis ({@code BatchNorm1d} for {@code [N, C]}).
   * Variables {@code weight} (ones), {@code bias} (zeros), {@code running_mean} (zeros) and {@code
   * running_var} (ones), the last two not trainable. In TRAIN it normalizes with the batch mean
   * and biased batch variance and updates {@code running = (1 - momentum) · running + momentum ·
   * batch} (unbiased variance for {@code running_var}); the updates are control dependencies of
   * the output and are listed in {@link VariableStore#updateOps()}. In INFERENCE it normalizes
   * with the running statistics.
   */
  public Operand<TFloat32> batchNorm(Operand<TFloat32> x, float epsilon, float momentum) {
    return BatchNormLayer.apply(scope, x, epsilon, momentum);
  }

  /** {@link #batchNorm(Operand, float, float)} with the network's epsilon and PyTorch's momentum. */
  public Operand<TFloat32> batchNorm(Operand<TFloat32> x) {
    return batchNorm(x, epsilon(), MOMENTUM);
  }

  /**
   * An activation; {@code PRELU} creates variable {@code weight} {@code [channels]} (0.25) in this
   * scope.
   */
  public Operand<TFloat32> activation(Operand<TFloat32> x, Nonlinearity act) {
    return ActivationLayer.apply(scope, x, act);
  }

  /**
   * {@link #pool(Operand, Pooling, int, int, int, boolean, boolean)} counting padding (PyTorch's
   * default).
   */
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
    return PoolLayer.apply(tf(), x, kind, kernel, stride, padding, ceil, countPadding);
  }

  /** Average or maximum over height and width: {@code [N, H, W, C] -> [N, C]}. */
  public Operand<TFloat32> globalPool(Operand<TFloat32> x, Pooling kind) {
    return PoolLayer.global(tf(), x, kind, false);
  }

  /**
   * Average or maximum over height and width, kept as a 1×1 map: {@code [N, H, W, C] -> [N, 1,
   * 1, C]}, the squeeze of channel attention.
   */
  public Operand<TFloat32> globalPool(Operand<TFloat32> x, Pooling kind, boolean keepDims) {
    return PoolLayer.global(tf(), x, kind, keepDims);
  }

  /** The element-wise sum of tensors of one shape: a residual addition, or paths summed. */
  @SafeVarargs
  public final Operand<TFloat32> add(Operand<TFloat32>... terms) {
    return Tensors.sum(tf(), List.of(terms));
  }

  /** Concatenates NHWC tensors along the channels, in order; one tensor is returned as it is. */
  @SafeVarargs
  public final Operand<TFloat32> concat(Operand<TFloat32>... parts) {
    return concat(List.of(parts));
  }

  /** Concatenates NHWC tensors along the channels, in order; one tensor is returned as it is. */
  public Operand<TFloat32> concat(List<Operand<TFloat32>> parts) {
    return Tensors.concatChannels(tf(), parts);
  }

  /**
   * {@code x} split along the channels into consecutive parts of {@code sizes} channels, which
   * make up all of its channels: one op for a channel split into several paths.
   */
  public List<Operand<TFloat32>> split(Operand<TFloat32> x, int... sizes) {
    return Tensors.split(tf(), x, sizes);
  }

  /** The channels {@code [from, from + count)} of {@code x}. */
  public Operand<TFloat32> slice(Operand<TFloat32> x, int from, int count) {
    return Tensors.slice(tf(), x, from, count);
  }

  /**
   * {@code x} scaled channel by channel: {@code gate} is {@code [N, 1, 1, C]} (one factor per
   * image and channel, as squeeze-and-excitation yields) or of x's shape.
   */
  public Operand<TFloat32> gate(Operand<TFloat32> x, Operand<TFloat32> gate) {
    return Tensors.gate(tf(), x, gate);
  }

  /**
   * timm's {@code RadixSoftmax}: logits {@code [N, 1, 1, radix · C]}, cardinal-group-major as a
   * grouped 1×1 convolution yields them, to weights of the same shape, radix-major, each the
   * softmax across the {@code radix} parts within its cardinal group. With one group, a selective
   * kernel's softmax across its branches.
   */
  public Operand<TFloat32> radixSoftmax(Operand<TFloat32> logits, int radix, int cardinality) {
    return Attention.radixSoftmax(tf(), logits, radix, cardinality);
  }

  /**
   * {@code Σ parts[p] · weights[p]}: parts of one shape {@code [N, H, W, C]}, and {@code weights}
   * {@code [N, 1, 1, P · C]} whose channels {@code [p·C, (p+1)·C)} weight part {@code p}.
   */
  public Operand<TFloat32> weightedSum(List<Operand<TFloat32>> parts, Operand<TFloat32> weights) {
    return Attention.weightedSum(tf(), parts, weights);
  }

  /**
   * Inverted dropout in TRAIN; the identity in INFERENCE or when {@code rate} is 0. The mask is a
   * stateless function of this op's position in the network and the {@link #DROPOUT_SEED_INPUT}.
   */
  public Operand<TFloat32> dropout(Operand<TFloat32> x, float rate) {
    return DropoutLayer.apply(scope, x, rate);
  }

  /**
   * PyTorch's {@code F.layer_norm} over the channels (the last axis) of {@code [N, H, W, C]} or
   * {@code [N, C]}: ConvNeXt's {@code LayerNorm2d}. Variables {@code weight} (ones) and {@code
   * bias} (zeros), {@code [C]}; the same in every mode.
   */
  public Operand<TFloat32> layerNorm(Operand<TFloat32> x, float epsilon) {
    return LayerNormLayer.apply(scope, x, epsilon);
  }

  /**
   * Each channel of {@code [N, H, W, C]} times a learnable factor: variable {@code layer_scale}
   * {@code [C]}, initially {@code init} (torchvision's ConvNeXt: 1e-6).
   */
  public Operand<TFloat32> layerScale(Operand<TFloat32> x, float init) {
    return LayerScaleLayer.apply(scope, x, init);
  }

  /**
   * torchvision's {@code StochasticDepth(rate, "row")}: in TRAIN each image is zeroed with
   * probability {@code rate} and scaled by {@code 1 / (1 - rate)} otherwise; the identity in
   * INFERENCE or when {@code rate} is 0. Seeded as {@link #dropout} is.
   */
  public Operand<TFloat32> stochasticDepth(Operand<TFloat32> x, float rate) {
    return StochasticDepthLayer.apply(scope, x, rate);
  }

  /**
   * PyTorch's {@code Linear} on {@code [N, in]}: variables {@code weight} {@code [in, units]} and
   * {@code bias} {@code [units]}, both uniform on ±1/√in as PyTorch initializes them.
   */
  public Operand<TFloat32> linear(Operand<TFloat32> x, int units, boolean bias) {
    return LinearLayer.apply(scope, x, units, bias);
  }

  /** {@code [N, H, W, C] -> [N, H·W·C]} (NHWC order); height and width must be static. */
  public Operand<TFloat32> flatten(Operand<TFloat32> x) {
    return Tensors.flatten(tf(), x);
  }

  /**
   * {@code x / max(‖x‖₂, 1e-12)} over each row of {@code [N, F]}, as PyTorch's {@code
   * F.normalize}: embeddings whose dot product is their cosine similarity.
   */
  public Operand<TFloat32> l2Normalize(Operand<TFloat32> x) {
    return Tensors.l2Normalize(tf(), x);
  }
}
