package dev.netspec.spark;

import java.io.Serializable;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * What the partitions' scorers did, summed on the driver by Spark's accumulators: models opened
 * and closed, images scored and images that could not be. A task run again after a failure adds
 * its counts again, so they are exact only for a job whose tasks each ran once.
 */
record ScoringCounters(LongAccumulator modelsOpened, LongAccumulator modelsClosed,
    LongAccumulator scored, LongAccumulator unreadable) implements Serializable {

  /** Fresh counters, registered with {@code context} under names its UI shows. */
  static ScoringCounters register(SparkContext context) {
    return new ScoringCounters(context.longAccumulator("netspec models opened"),
        context.longAccumulator("netspec models closed"),
        context.longAccumulator("netspec images scored"),
        context.longAccumulator("netspec images unreadable"));
  }
}
