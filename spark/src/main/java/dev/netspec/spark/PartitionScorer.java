package dev.netspec.spark;

import dev.netspec.examples.cli.ModelPath;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.io.Classifier;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Scores one partition of an image table with a model of its own: opened when the partition's
 * first row is asked for, closed as soon as its last batch is scored or, should the task fail or
 * be killed first, when the task completes. An empty partition opens no model.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final ScoringOptions options;
  private final ScoringCounters counters;

  PartitionScorer(ScoringOptions options, ScoringCounters counters) {
    this.options = options;
    this.counters = counters;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> images) {
    if (!images.hasNext()) {
      return Collections.emptyIterator();
    }
    Classifier classifier = ModelPath.open(Path.of(options.model()), options.network(),
        ModelOptions.defaults().withThreads(options.threads()), options.engine());
    counters.modelsOpened().add(1);
    ScoredRows rows = new ScoredRows(images, classifier, options, counters);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> rows.close());
    }
    return rows;
  }
}
