package dev.netspec.runtime.io;

import dev.netspec.runtime.data.Image;
import dev.netspec.runtime.data.Transform;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Class probabilities of decoded images from a {@link Classifier}, a batch at a time: each image
 * goes through the evaluation transform into the batch as it is added, so that only the batch's
 * pixels are held, and the logits become probabilities by a softmax computed in double. The
 * caller keeps the classifier and closes it; every tensor made here is closed here.
 */
public final class Predictor {
  private final Classifier classifier;
  private final ModelInfo info;
  private final Transform transform;
  private final int imageSize;
  private final float[] pixels;
  private final int capacity;
  private int pending;

  /** A predictor of batches of up to {@code batchSize} images. */
  public Predictor(Classifier classifier, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be at least 1, got " + batchSize);
    }
    this.classifier = classifier;
    this.info = classifier.info();
    this.transform = Transform.evaluation(info.height(), info.width(), info.normalization());
    this.imageSize = transform.outputSize(info.channels());
    this.capacity = batchSize;
    this.pixels = new float[Math.multiplyExact(batchSize, imageSize)];
  }

  /** The classifier's network, input size and class names. */
  public ModelInfo info() {
    return info;
  }

  /**
   * Adds {@code image} (of the network's channels) to the batch.
   *
   * @throws IllegalStateException when the batch is full: {@link #predict()} it first
   */
  public void add(Image image) {
    if (full()) {
      throw new IllegalStateException("the batch holds " + capacity + " images; predict it first");
    }
    transform.apply(image, null, pixels, pending * imageSize);
    pending++;
  }

  /** How many images wait in the batch. */
  public int pending() {
    return pending;
  }

  /** Whether the batch holds as many images as it can. */
  public boolean full() {
    return pending == capacity;
  }

  /**
   * The class probabilities {@code [image][class]} of the images added since the last call, in
   * the order added; the batch is empty afterwards.
   */
  public double[][] predict() {
    int n = pending;
    pending = 0;
    if (n == 0) {
      return new double[0][];
    }
    try (TFloat32 batch = TFloat32.tensorOf(
            Shape.of(n, info.height(), info.width(), info.channels()),
            DataBuffers.of(pixels, true, false).narrow((long) n * imageSize));
        TFloat32 logits = classifier.logits(batch)) {
      int classes = info.classNames().size();
      double[][] probabilities = new double[n][];
      for (int i = 0; i < n; i++) {
        double[] row = new double[classes];
        for (int c = 0; c < classes; c++) {
          row[c] = logits.getFloat(i, c);
        }
        probabilities[i] = softmax(row);
      }
      return probabilities;
    }
  }

  /** The indices of the {@code k} largest probabilities, largest first (all when fewer). */
  public static int[] top(double[] probabilities, int k) {
    return IntStream.range(0, probabilities.length).boxed()
        .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[c]))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  /** Softmax of {@code logits} in place, shifted by their maximum so that exp cannot overflow. */
  private static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double logit : logits) {
      max = Math.max(max, logit);
    }
    double sum = 0;
    for (int c = 0; c < logits.length; c++) {
      logits[c] = Math.exp(logits[c] - max);
      sum += logits[c];
    }
    for (int c = 0; c < logits.length; c++) {
      logits[c] /= sum;
    }
    return logits;
  }
}
