package dev.netspec.runtime.train;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableAssigner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The training step of a classifier in one process, built into a {@link Mode#TRAIN} model's
 * graph: the {@link Objective} (loss with label smoothing, top-1/top-5 hits, gradients of every
 * trained variable) and the optimizer's updates. Every update waits for all gradients, so a step
 * reads only the weights it started with.
 *
 * <p>Only the network's {@link dev.netspec.runtime.NetworkGraph#trainableVariables() trainable
 * variables} get gradients and updates: frozen stages' are left out, and the backward pass stops
 * where the first trained variable is used. In a fine-tuning run, every variable but the fresh
 * ones (a replaced classifier's) learns at the configuration's {@link
 * FineTuning#pretrainedLearningRateScale()} times the learning rate.
 */
public final class TrainingGraph implements TrainingStep {

  /** What one step measured on its batch, before its update. */
  public record StepResult(double loss, int top1, int top5, int examples) {}

  private final Model<?> model;
  private final Ops tf;
  private final Objective objective;
  private final OptimizerGraph optimizer;
  private final List<Op> targets = new ArrayList<>();
  private final long seed;
  private final OptimizerSlots slots;

  private TrainingGraph(Model<?> model, TrainingConfig config, Set<String> fresh) {
    if (model.mode() != Mode.TRAIN) {
      throw new IllegalArgumentException("training needs a model built in Mode.TRAIN, got "
          + model.mode());
    }
    this.model = model;
    this.seed = config.seed();
    Graph graph = model.graph();
    tf = Ops.create(graph).withSubScope("training");
    VariableAssigner slotAssigner = new VariableAssigner(tf, "restore");
    objective = Objective.build(tf, model, config, fresh);
    optimizer = OptimizerGraph.build(tf,
        tf.withControlDependencies(List.of(objective.computed())), config.optimizer(),
        objective.parameters());
    targets.addAll(optimizer.updates());
    targets.addAll(model.network().updateOps());
    slots = new OptimizerSlots(optimizer, model, slotAssigner);
    slots.reset();
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
  @Override
  public StepResult step(TFloat32 images, TInt32 labels, long step, double rate) {
    Session.Runner runner = objective.feedBatch(model.session().runner(), model, images, labels);
    List<AutoCloseable> owned = new ArrayList<>();
    try {
      optimizer.feed(runner, owned, step + 1, rate);
      if (objective.dropoutSeed() != null) {
        TInt64 seedValue = TInt64.scalarOf(mix(seed, step));
        owned.add(seedValue);
        runner.feed(objective.dropoutSeed(), seedValue);
      }
      targets.forEach(runner::addTarget);
      try (Result result = runner.run()) {
        return Objective.stepResult(result, labels);
      }
    } finally {
      OptimizerGraph.close(owned);
    }
  }

  @Override
  public OptimizerSlots slots() {
    return slots;
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
