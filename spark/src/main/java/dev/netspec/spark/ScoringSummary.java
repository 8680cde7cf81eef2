package dev.netspec.spark;

/**
 * What a scoring job did, from its counters.
 *
 * @param images rows written
 * @param unreadable rows with an error instead of scores
 * @param partitions partitions the images were spread over
 * @param modelsOpened models the partitions' scorers opened (one per non-empty partition)
 * @param modelsClosed models closed again
 * @param seconds the job's wall time, from reading the input to the last row written
 */
public record ScoringSummary(long images, long unreadable, int partitions, long modelsOpened,
    long modelsClosed, double seconds) {

  /** Images scored per second of the job's wall time. */
  public double imagesPerSecond() {
    return images / seconds;
  }
}
