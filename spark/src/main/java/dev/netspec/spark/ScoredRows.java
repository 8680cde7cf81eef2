package dev.netspec.spark;

import dev.netspec.runtime.data.ImageFolder;
import dev.netspec.runtime.io.Classifier;
import dev.netspec.runtime.io.Predictor;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * The scores of a partition's images, computed a batch at a time as Spark asks for rows: each
 * input row ({@link ImageTables#PATH}, {@link ImageTables#CONTENT}) is decoded from its content,
 * or from its file when it has none, and an image that cannot be read or decoded becomes a row
 * with the reason instead of failing the task. The classifier is closed as soon as the last batch
 * is scored, before its rows are given.
 */
final class ScoredRows implements Iterator<Row>, AutoCloseable {
  private final Iterator<Row> images;
  private final Classifier classifier;
  private final Predictor predictor;
  private final ScoringOptions options;
  private final ScoringCounters counters;
  private final ImageBytes files = new ImageBytes();
  private final List<String> batch = new ArrayList<>();
  private final ArrayDeque<Row> ready = new ArrayDeque<>();
  private boolean closed;

  ScoredRows(Iterator<Row> images, Classifier classifier, ScoringOptions options,
      ScoringCounters counters) {
    this.images = images;
    this.classifier = classifier;
    this.predictor = new Predictor(classifier, options.batch());
    this.options = options;
    this.counters = counters;
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && !closed) {
      scoreNextBatch();
    }
    return !ready.isEmpty();
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  /** Closes the classifier, once: here after the last batch, or by the task's end. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      classifier.close();
      counters.modelsClosed().add(1);
    }
  }

  private void scoreNextBatch() {
    while (!predictor.full() && images.hasNext()) {
      add(images.next());
    }
    if (predictor.pending() > 0) {
      double[][] probabilities = predictor.predict();
      List<String> classes = predictor.info().classNames();
      for (int i = 0; i < batch.size(); i++) {
        int[] top = Predictor.top(probabilities[i], options.top());
        ready.add(ScoredImage.scored(batch.get(i), probabilities[i], top, classes));
      }
      counters.scored().add(batch.size());
      batch.clear();
    }
    if (!images.hasNext()) {
      close();
    }
  }

  private void add(Row image) {
    String path = image.getString(0);
    byte[] content;
    try {
      content = image.isNullAt(1) ? files.read(path) : (byte[]) image.get(1);
    } catch (IOException e) {
      fail(path, "cannot read " + path + ": " + e.getMessage());
      return;
    }
    try {
      predictor.add(ImageFolder.decode(content, path, predictor.info().channels()));
      batch.add(path);
    } catch (IllegalArgumentException e) {
      fail(path, e.getMessage());
    }
  }

  private void fail(String path, String error) {
    ready.add(ScoredImage.failed(path, error));
    counters.unreadable().add(1);
  }
}
