package dev.netspec.runtime.train;

/**
 * The loss, or the weights, BatchNorm statistics or optimizer state at an epoch's end, became NaN
 * or infinite; the checkpoints on disk are those the run had before, and the message names the
 * last finite one.
 */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
