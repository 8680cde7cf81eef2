package dev.netspec.runtime.train;

import org.tensorflow.types.TFloat32;

/**
 * Cross-entropy and top-1/top-5 accuracy of logits against labels, summed over batches. The loss
 * is plain cross-entropy: label smoothing shapes training, not the score.
 */
public final class Scores {
  private double loss;
  private long top1;
  private long top5;
  private long examples;

  /** Adds a batch: {@code logits} {@code [N, classes]} and the true classes. */
  public void add(TFloat32 logits, int[] labels) {
    int n = (int) logits.shape().get(0);
    int classes = (int) logits.shape().get(1);
    if (n != labels.length) {
      throw new IllegalArgumentException(n + " rows of logits for " + labels.length + " labels");
    }
    float[] row = new float[classes];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < classes; c++) {
        row[c] = logits.getFloat(i, c);
      }
      add(row, labels[i]);
    }
  }

  /** Adds one example. */
  public void add(float[] logits, int label) {
    if (label < 0 || label >= logits.length) {
      throw new IllegalArgumentException("label " + label + " is outside the " + logits.length
          + " classes");
    }
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : logits) {
      sum += Math.exp(v - max);
    }
    loss += max + Math.log(sum) - logits[label];
    int above = 0;
    for (float v : logits) {
      if (v > logits[label]) {
        above++;
      }
    }
    top1 += above == 0 ? 1 : 0;
    top5 += above < 5 ? 1 : 0;
    examples++;
  }

  public long examples() {
    return examples;
  }

  public double meanLoss() {
    return examples == 0 ? Double.NaN : loss / examples;
  }

  public double top1() {
    return examples == 0 ? Double.NaN : (double) top1 / examples;
  }

  public double top5() {
    return examples == 0 ? Double.NaN : (double) top5 / examples;
  }
}
