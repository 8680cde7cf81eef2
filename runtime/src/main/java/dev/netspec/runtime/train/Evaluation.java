package dev.netspec.runtime.train;

import dev.netspec.runtime.data.Batch;
import dev.netspec.runtime.data.BatchLoader;
import java.util.function.Function;
import org.tensorflow.types.TFloat32;

/** Scores a classifier on every batch of a loader. */
public final class Evaluation {
  private Evaluation() {}

  /**
   * The scores of {@code logits} (images in, logits out; the caller of the function closes
   * neither) over one pass of {@code loader}.
   */
  public static Scores run(Function<TFloat32, TFloat32> logits, BatchLoader loader) {
    Scores scores = new Scores();
    try (BatchLoader.Epoch batches = loader.epoch(0)) {
      while (batches.hasNext()) {
        Batch batch = batches.next();
        try (TFloat32 images = batch.imageTensor(); TFloat32 out = logits.apply(images)) {
          scores.add(out, batch.labels());
        }
      }
    }
    return scores;
  }
}
