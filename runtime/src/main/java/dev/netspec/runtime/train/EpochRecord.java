package dev.netspec.runtime.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an epoch measured, and which epoch is the best so far, as its checkpoint records it. With
 * it a checkpoint alone is enough to redo the rest of its epoch's end after a kill: the
 * validation row of {@code metrics.csv}, {@code best.safetensors}, the epoch's summary.
 *
 * @param learningRate the rate of the epoch's last step
 * @param seconds the epoch's training time
 * @param bestEpoch the epoch with the highest validation top-1 up to this one (the first of
 *     equals)
 */
record EpochRecord(int epoch, long step, double learningRate, double trainLoss, double trainTop1,
    double validationLoss, double validationTop1, double validationTop5, double imagesPerSecond,
    double seconds, int bestEpoch, double bestTop1) {

  /** Absent from checkpoints written before they recorded all of this. */
  private static final String BEST_EPOCH = "best_epoch";

  boolean best() {
    return bestEpoch == epoch;
  }

  /** As checkpoint metadata. */
  Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("epoch", Integer.toString(epoch));
    m.put("step", Long.toString(step));
    m.put("epoch_learning_rate", Double.toString(learningRate));
    m.put("train_loss", Double.toString(trainLoss));
    m.put("train_top1", Double.toString(trainTop1));
    m.put("val_loss", Double.toString(validationLoss));
    m.put("val_top1", Double.toString(validationTop1));
    m.put("val_top5", Double.toString(validationTop5));
    m.put("images_per_second", Double.toString(imagesPerSecond));
    m.put("epoch_seconds", Double.toString(seconds));
    m.put(BEST_EPOCH, Integer.toString(bestEpoch));
    m.put("best_val_top1", Double.toString(bestTop1));
    return m;
  }

  /**
   * Reads what {@link #toMetadata()} wrote; empty for a checkpoint written before checkpoints
   * recorded it all.
   */
  static Optional<EpochRecord> fromMetadata(Map<String, String> values, String what) {
    if (!values.containsKey(BEST_EPOCH)) {
      return Optional.empty();
    }
    Metadata m = new Metadata(values, what);
    return Optional.of(new EpochRecord(m.integer("epoch"), m.longInteger("step"),
        m.real("epoch_learning_rate"), m.real("train_loss"), m.real("train_top1"),
        m.real("val_loss"), m.real("val_top1"), m.real("val_top5"), m.real("images_per_second"),
        m.real("epoch_seconds"), m.integer(BEST_EPOCH), m.real("best_val_top1")));
  }

  /** The epoch's row of {@code metrics.csv}. */
  MetricsLog.Row validationRow() {
    return new MetricsLog.Row(epoch, step, "val", learningRate, validationLoss, validationTop1,
        validationTop5, Double.NaN, seconds);
  }

  Trainer.EpochSummary summary(int epochs, Path checkpoint) {
    return new Trainer.EpochSummary(epoch, epochs, step, learningRate, trainLoss, trainTop1,
        validationLoss, validationTop1, validationTop5, imagesPerSecond, seconds, checkpoint,
        best());
  }
}
