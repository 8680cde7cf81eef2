package dev.netspec.runtime.train;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableAssigner;
import dev.netspec.runtime.layers.Layers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training step of a classifier, built into a {@link Mode#TRAIN} model's graph: loss with
 * label smoothing, top-1/top-5 hits, gradients of every trainable variable ({@code
 * Graph.addGradients}: TensorFlow Java's {@code Optimizer.minimize} fails once BatchNorm's running
 * statistics exist), and the optimizer's updates. Every update waits for all gradients, so a step
 * reads only the weights it started with.
 *
 * <p>Only the network's {@link dev.netspec.runtime.NetworkGraph#trainableVariables() trainable
 * variables} get gradients and updates: frozen stages' are left out, and the backward pass stops
 * where the first trained variable is used. In a fine-tuning run, every variable but the fresh
 * ones (a replaced classifier's) learns at the configuration's {@link
 * FineTuning#pretrainedLearningRateScale()} times the learning rate.
 */
public final class TrainingGraph {

  /** What one step measured on its batch, before its update. */
  public record StepResult(double loss, int top1, int top5, int examples) {}

  private final Model<?> model;
  private final Ops tf;
  private final Placeholder<TInt32> labels;
  private final Operand<TFloat32> loss;
  private final Operand<TFloat32> top1;
  private final Operand<TFloat32> top5;
  private final OptimizerGraph optimizer;
  private final List<Op> targets = new ArrayList<>();
  private final Output<TInt64> dropoutSeed;
  private final long seed;
  private final VariableAssigner slotAssigner;

  private TrainingGraph(Model<?> model, TrainingConfig config, Set<String> fresh) {
    if (model.mode() != Mode.TRAIN) {
      throw new IllegalArgumentException("training needs a model built in Mode.TRAIN, got "
          + model.mode());
    }
    this.model = model;
    this.seed = config.seed();
    Graph graph = model.graph();
    tf = Ops.create(graph).withSubScope("training");
    slotAssigner = new VariableAssigner(tf, "restore");
    Operand<TFloat32> logits = model.network().output();
    Losses.classes(logits);
    labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    loss = tf.math.mean(
        Losses.softmaxCrossEntropy(tf, logits, labels, config.labelSmoothing()), tf.constant(0));
    top1 = Losses.correctInTopK(tf, logits, labels, 1);
    top5 = Losses.correctInTopK(tf, logits, labels, 5);

    Map<String, Variable<TFloat32>> trainable = model.network().trainableVariables();
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("the network has no trainable variables");
    }
    Output<?>[] gradients = graph.addGradients(loss.asOutput(),
        trainable.values().stream().map(Variable::asOutput).toArray(Output<?>[]::new));
    List<OptimizerGraph.Parameter> parameters = new ArrayList<>();
    List<Op> computed = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, Variable<TFloat32>> e : trainable.entrySet()) {
      @SuppressWarnings("unchecked")
      Output<TFloat32> gradient = (Output<TFloat32>) gradients[i++];
      if (gradient == null) {
        continue; // the loss does not depend on it
      }
      Variable<TFloat32> variable = e.getValue();
      boolean decays = config.decayNormAndBias() || variable.shape().numDimensions() > 1;
      float scale = fresh.contains(e.getKey()) ? 1f
          : (float) config.fineTuning().pretrainedLearningRateScale();
      parameters.add(new OptimizerGraph.Parameter(e.getKey(), variable, gradient,
          decays ? (float) config.weightDecay() : 0f, scale));
      org.tensorflow.Operation producer = gradient.op();
      computed.add(() -> producer);
    }
    // one gate on all gradients, which every update waits for: 2n control edges instead of n²
    Op gradientsComputed = tf.withName("gradients_computed").withControlDependencies(computed)
        .noOp();
    optimizer = OptimizerGraph.build(tf, tf.withControlDependencies(List.of(gradientsComputed)),
        config.optimizer(), parameters);
    targets.addAll(optimizer.updates());
    targets.addAll(model.network().updateOps());
    GraphOperation seedInput = graph.operation(Layers.DROPOUT_SEED_INPUT);
    dropoutSeed = seedInput == null ? null : seedInput.output(0);
    resetSlots();
  }

  /**
   * Builds the step of {@code config} into {@code model}'s graph and zeroes the optimizer state;
   * in a fine-tuning configuration every variable counts as pretrained.
   */
  public static TrainingGraph build(Model<?> model, TrainingConfig config) {
    return build(model, config, Set.of());
  }

  /**
   * Builds the step of {@code config} into {@code model}'s graph and zeroes the optimizer state.
   *
   * @param fresh the variables that are not pretrained (a replaced classifier's: {@link
   *     dev.netspec.runtime.io.InitReport#freshVariables()}), which learn at the full rate
   */
  public static TrainingGraph build(Model<?> model, TrainingConfig config, Set<String> fresh) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(config, "config");
    return new TrainingGraph(model, config, Set.copyOf(fresh));
  }

  /**
   * One step at {@code step} (0-based, counted over the whole run) with learning rate {@code
   * rate}: forward, backward and update. The loss and hits are those of the weights before the
   * update.
   */
  public StepResult step(TFloat32 images, TInt32 labels, long step, double rate) {
    model.checkImages(images.shape());
    if (labels.shape().numDimensions() != 1 || labels.shape().get(0) != images.shape().get(0)) {
      throw new IllegalArgumentException("labels must have shape [" + images.shape().get(0)
          + "], one per image; got " + labels.shape());
    }
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      Session.Runner runner = model.session().runner()
          .feed(model.images(), images).feed(this.labels, labels)
          .fetch(loss).fetch(top1).fetch(top5);
      optimizer.feed(runner, owned, step + 1, rate);
      if (dropoutSeed != null) {
        TInt64 seedValue = TInt64.scalarOf(mix(seed, step));
        owned.add(seedValue);
        runner.feed(dropoutSeed, seedValue);
      }
      targets.forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return new StepResult(((TFloat32) result.get(0)).getFloat(),
            Math.round(((TFloat32) result.get(1)).getFloat()),
            Math.round(((TFloat32) result.get(2)).getFloat()), (int) labels.shape().get(0));
      }
    } finally {
      for (AutoCloseable c : owned) {
        try {
          c.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /** The optimizer's state variables: names and shapes, in creation order. */
  public Map<String, Shape> slotShapes() {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    optimizer.slots().values().forEach(s -> shapes.put(s.name(), s.shape()));
    return shapes;
  }

  /** The optimizer's state by name; the caller closes the tensors. */
  public Map<String, TFloat32> readSlots() {
    Map<String, TFloat32> values = new LinkedHashMap<>();
    List<OptimizerGraph.Slot> slots = List.copyOf(optimizer.slots().values());
    if (slots.isEmpty()) {
      return values;
    }
    Session.Runner runner = model.session().runner();
    slots.forEach(s -> runner.fetch(s.variable()));
    try (Result result = runner.run()) {
      for (int i = 0; i < slots.size(); i++) {
        TFloat32 value = (TFloat32) result.get(i);
        values.put(slots.get(i).name(), TFloat32.tensorOf(value.shape(), value::copyTo));
      }
    }
    return values;
  }

  /** Sets optimizer state by name; shapes must match. The caller keeps the tensors. */
  public void assignSlots(Map<String, ? extends TFloat32> values) {
    if (values.isEmpty()) {
      return;
    }
    Session.Runner runner = model.session().runner();
    for (Map.Entry<String, ? extends TFloat32> e : values.entrySet()) {
      OptimizerGraph.Slot slot = optimizer.slots().get(e.getKey());
      if (slot == null) {
        throw new IllegalArgumentException("the optimizer has no state '" + e.getKey() + "'");
      }
      if (!slot.shape().equals(e.getValue().shape())) {
        throw new IllegalArgumentException("optimizer state '" + slot.name() + "' has shape "
            + slot.shape() + ", the value given has shape " + e.getValue().shape());
      }
      slotAssigner.feed(runner, slot.name(), slot.variable(), e.getValue());
    }
    runner.run().close();
  }

  /** Zeroes the optimizer state, as at the start of a run. */
  public void resetSlots() {
    Map<String, TFloat32> zeros = new LinkedHashMap<>();
    try {
      optimizer.slots().values().forEach(s -> zeros.put(s.name(), TFloat32.tensorOf(s.shape(),
          DataBuffers.of(new float[Math.toIntExact(s.shape().size())], true, false))));
      assignSlots(zeros);
    } finally {
      zeros.values().forEach(Tensor::close);
    }
  }

  public Model<?> model() {
    return model;
  }

  /** The seed fed to the network's dropout at {@code step}: a function of the run's seed and step. */
  static long mix(long seed, long step) {
    long z = seed * 0x9E3779B97F4A7C15L + step;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }
}
