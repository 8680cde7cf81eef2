package dev.netspec.runtime.train;

/** The loss became NaN or infinite; the checkpoints on disk are those of the last good epoch. */
public final class TrainingDivergedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public TrainingDivergedException(String message) {
    super(message);
  }
}
