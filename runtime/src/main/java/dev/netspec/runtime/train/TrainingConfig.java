package dev.netspec.runtime.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a training run does, apart from its network and data. Stored in every checkpoint, so that
 * {@code --resume} continues the run it came from.
 *
 * @param epochs passes over the training data
 * @param batchSize images per step; the last partial batch of an epoch is dropped
 * @param weightDecay L2 coefficient (decoupled for AdamW)
 * @param decayNormAndBias whether weight decay also applies to one-dimensional parameters
 *     (BatchNorm scales and shifts, biases, PReLU slopes)
 * @param labelSmoothing PyTorch's {@code label_smoothing}: the target puts {@code 1 - ε + ε/K} on
 *     the true class and {@code ε/K} on every other
 * @param seed the initial weights, the data order, augmentation and dropout masks all follow it
 * @param keepCheckpoints how many of the latest epochs' checkpoints to keep (the best is kept
 *     apart)
 * @param fineTuning pretrained weights to start from, frozen stages and the pretrained part's
 *     learning-rate scale; {@link FineTuning#NONE} for a network trained from the seed
 */
public record TrainingConfig(
    int epochs,
    int batchSize,
    Optimizer optimizer,
    Schedule schedule,
    double weightDecay,
    boolean decayNormAndBias,
    double labelSmoothing,
    long seed,
    int keepCheckpoints,
    FineTuning fineTuning) {

  public TrainingConfig {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(fineTuning, "fineTuning");
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
    }
    if (keepCheckpoints < 1) {
      throw new IllegalArgumentException("keep at least 1 checkpoint, got " + keepCheckpoints);
    }
  }

  /** A run from the seed's random weights. */
  public TrainingConfig(int epochs, int batchSize, Optimizer optimizer, Schedule schedule,
      double weightDecay, boolean decayNormAndBias, double labelSmoothing, long seed,
      int keepCheckpoints) {
    this(epochs, batchSize, optimizer, schedule, weightDecay, decayNormAndBias, labelSmoothing,
        seed, keepCheckpoints, FineTuning.NONE);
  }

  /** The same run with another number of epochs (extending a finished run on resume). */
  public TrainingConfig withEpochs(int newEpochs) {
    return new TrainingConfig(newEpochs, batchSize, optimizer, schedule, weightDecay,
        decayNormAndBias, labelSmoothing, seed, keepCheckpoints, fineTuning);
  }

  /** The same run starting from pretrained weights as {@code settings} say. */
  public TrainingConfig withFineTuning(FineTuning settings) {
    return new TrainingConfig(epochs, batchSize, optimizer, schedule, weightDecay,
        decayNormAndBias, labelSmoothing, seed, keepCheckpoints, settings);
  }

  /** As flat string pairs, for a checkpoint's metadata. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("epochs", Integer.toString(epochs));
    m.put("batch_size", Integer.toString(batchSize));
    if (optimizer instanceof Optimizer.Sgd sgd) {
      m.put("optimizer", "sgd");
      m.put("momentum", Double.toString(sgd.momentum()));
      m.put("nesterov", Boolean.toString(sgd.nesterov()));
    } else if (optimizer instanceof Optimizer.Adam adam) {
      m.put("optimizer", adam.decoupledWeightDecay() ? "adamw" : "adam");
      m.put("beta1", Double.toString(adam.beta1()));
      m.put("beta2", Double.toString(adam.beta2()));
      m.put("adam_epsilon", Double.toString(adam.epsilon()));
    }
    Schedule inner = schedule;
    if (schedule instanceof Schedule.Warmup warmup) {
      m.put("warmup_epochs", Double.toString(warmup.epochs()));
      inner = warmup.schedule();
    }
    m.put("learning_rate", Double.toString(inner.base()));
    if (inner instanceof Schedule.Constant) {
      m.put("schedule", "constant");
    } else if (inner instanceof Schedule.StepDecay step) {
      m.put("schedule", "step");
      m.put("step_every", Integer.toString(step.everyEpochs()));
      m.put("gamma", Double.toString(step.gamma()));
    } else if (inner instanceof Schedule.Cosine cosine) {
      m.put("schedule", "cosine");
      m.put("final_learning_rate", Double.toString(cosine.floor()));
    }
    m.put("weight_decay", Double.toString(weightDecay));
    m.put("decay_norm_and_bias", Boolean.toString(decayNormAndBias));
    m.put("label_smoothing", Double.toString(labelSmoothing));
    m.put("seed", Long.toString(seed));
    m.put("keep_checkpoints", Integer.toString(keepCheckpoints));
    m.putAll(fineTuning.toMetadata());
    return m;
  }

  /** Reads what {@link #toMetadata()} wrote. */
  public static TrainingConfig fromMetadata(Map<String, String> m) {
    Metadata in = new Metadata(m, "training configuration");
    Optimizer optimizer = switch (in.text("optimizer")) {
      case "sgd" -> new Optimizer.Sgd(in.real("momentum"), in.flag("nesterov"));
      case "adam", "adamw" -> new Optimizer.Adam(in.real("beta1"), in.real("beta2"),
          in.real("adam_epsilon"), in.text("optimizer").equals("adamw"));
      default -> throw new IllegalArgumentException("unknown optimizer '" + in.text("optimizer")
          + "' in the checkpoint");
    };
    double rate = in.real("learning_rate");
    Schedule schedule = switch (in.text("schedule")) {
      case "constant" -> new Schedule.Constant(rate);
      case "step" -> new Schedule.StepDecay(rate, in.integer("step_every"), in.real("gamma"));
      case "cosine" -> new Schedule.Cosine(rate, in.real("final_learning_rate"));
      default -> throw new IllegalArgumentException("unknown schedule '" + in.text("schedule")
          + "' in the checkpoint");
    };
    if (m.containsKey("warmup_epochs")) {
      schedule = new Schedule.Warmup(schedule, in.real("warmup_epochs"));
    }
    return new TrainingConfig(in.integer("epochs"), in.integer("batch_size"), optimizer, schedule,
        in.real("weight_decay"), in.flag("decay_norm_and_bias"), in.real("label_smoothing"),
        in.longInteger("seed"), in.integer("keep_checkpoints"), FineTuning.fromMetadata(m));
  }
}
