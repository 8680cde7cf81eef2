package dev.netspec.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Scores a table of images (as {@link ImageTables} makes one) on Spark and writes the scores to
 * Parquet: one row per image of path, top classes, their probabilities and error (see {@link
 * ScoredImage#SCHEMA}), each partition scored by a model of its own.
 */
public final class BatchScoring {
  private BatchScoring() {}

  /**
   * Spreads {@code images} over {@code partitions} partitions, scores them and writes the rows to
   * the Parquet folder {@code output}.
   *
   * @param mode what to do when {@code output} exists
   */
  public static ScoringSummary score(Dataset<Row> images, ScoringOptions options,
      int partitions, String output, SaveMode mode) {
    if (partitions < 1) {
      throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
    }
    ScoringCounters counters = ScoringCounters.register(images.sparkSession().sparkContext());
    long start = System.nanoTime();
    spread(images, partitions)
        .mapPartitions(new PartitionScorer(options, counters), Encoders.row(ScoredImage.SCHEMA))
        .write().mode(mode).parquet(output);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new ScoringSummary(counters.scored().value() + counters.unreadable().value(),
        counters.unreadable().value(), partitions, counters.modelsOpened().value(),
        counters.modelsClosed().value(), seconds);
  }

  /**
   * {@code images} over {@code partitions} partitions, as many models: merged without a shuffle
   * when there are more (a Parquet table of bytes reads as one split per 128 MB), shuffled evenly
   * when there are fewer.
   */
  private static Dataset<Row> spread(Dataset<Row> images, int partitions) {
    int now = images.rdd().getNumPartitions();
    if (now > partitions) {
      return images.coalesce(partitions);
    }
    return now < partitions ? images.repartition(partitions) : images;
  }
}
