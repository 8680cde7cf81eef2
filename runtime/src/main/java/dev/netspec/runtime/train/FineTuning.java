package dev.netspec.runtime.train;

import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.io.NameRules;
import dev.netspec.runtime.io.PretrainedWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run starts from pretrained weights: where they are, which stages stay fixed, and how fast
 * the pretrained part learns. Part of the {@link TrainingConfig}, so every checkpoint records it
 * and a resumed run keeps freezing and the learning-rate scale (it does not load the weights
 * again: the checkpoint holds what became of them).
 *
 * <p>The {@link Trainer} loads the weights with {@link PretrainedWeights} after initializing the
 * network from the seed: a classifier trained for another number of classes is replaced (it
 * keeps its initial values), any other difference stops the run before it starts.
 *
 * @param init a PyTorch state dict or a netspec checkpoint ({@code .safetensors}), or a run
 *     folder (its best checkpoint); null: the seed's random weights, nothing else applies
 * @param rules how a state dict's keys become variable names (a checkpoint's are already); not
 *     recorded in checkpoints, as a resumed run has no use for them
 * @param frozenThrough every stage up to and including this one stays fixed, BatchNorm in
 *     inference mode there (see {@link ModelOptions#frozenThrough()}); null: none
 * @param pretrainedLearningRateScale the learning rate of every pretrained variable (all but a
 *     replaced classifier's) is the schedule's times this, in (0, 1]
 */
public record FineTuning(Path init, NameRules rules, String frozenThrough,
    double pretrainedLearningRateScale) {

  /** From the seed's random weights: no fine-tuning. */
  public static final FineTuning NONE = new FineTuning(null, NameRules.identity(), null, 1);

  public FineTuning {
    Objects.requireNonNull(rules, "rules");
    if (!(pretrainedLearningRateScale > 0 && pretrainedLearningRateScale <= 1)) {
      throw new IllegalArgumentException("the pretrained part's learning-rate scale must be in "
          + "(0, 1], got " + pretrainedLearningRateScale + (pretrainedLearningRateScale == 0
              ? "; to keep stages fixed, freeze them" : ""));
    }
    if (init == null && (frozenThrough != null || pretrainedLearningRateScale != 1)) {
      throw new IllegalArgumentException("freezing stages and scaling the pretrained part's "
          + "learning rate apply to pretrained weights: say which weights to start from");
    }
  }

  /** Starting from the weights at {@code init}, a state dict's keys renamed by {@code rules}. */
  public static FineTuning from(Path init, NameRules rules) {
    return new FineTuning(Objects.requireNonNull(init, "init"), rules, null, 1);
  }

  /** This fine-tuning with every stage up to and including {@code stage} fixed. */
  public FineTuning freezingThrough(String stage) {
    return new FineTuning(init, rules, stage, pretrainedLearningRateScale);
  }

  /** This fine-tuning with the pretrained part learning at {@code scale} times the rate. */
  public FineTuning withPretrainedLearningRateScale(double scale) {
    return new FineTuning(init, rules, frozenThrough, scale);
  }

  /** Whether the run starts from pretrained weights. */
  public boolean pretrained() {
    return init != null;
  }

  /** The stage frozen through, if any. */
  public Optional<String> frozenStage() {
    return Optional.ofNullable(frozenThrough);
  }

  /**
   * The weights file: {@link #init()} itself, or a run folder's best checkpoint.
   *
   * @throws IllegalStateException when the run starts from random weights
   */
  public PretrainedWeights weights() {
    if (init == null) {
      throw new IllegalStateException("no pretrained weights: this run starts from the seed");
    }
    Path file = Files.isDirectory(init) ? RunDirectory.bestCheckpoint(init) : init;
    return PretrainedWeights.of(file, rules);
  }

  /** As metadata strings; none for a run from random weights. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    if (init != null) {
      m.put("init", init.toAbsolutePath().toString());
      if (frozenThrough != null) {
        m.put("freeze_through", frozenThrough);
      }
      m.put("pretrained_lr_scale", Double.toString(pretrainedLearningRateScale));
    }
    return m;
  }

  /** Reads what {@link #toMetadata()} wrote: {@link #NONE} where it wrote nothing. */
  public static FineTuning fromMetadata(Map<String, String> m) {
    if (!m.containsKey("init")) {
      return NONE;
    }
    Metadata in = new Metadata(m, "fine-tuning settings");
    return new FineTuning(Path.of(in.text("init")), NameRules.identity(),
        m.get("freeze_through"), in.real("pretrained_lr_scale"));
  }
}
