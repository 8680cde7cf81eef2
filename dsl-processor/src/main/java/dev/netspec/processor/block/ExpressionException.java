package dev.netspec.processor.block;

/** An expression that cannot be parsed: what is wrong, and where (0-based, in characters). */
public final class ExpressionException extends RuntimeException {
  private final int position;

  public ExpressionException(String message, int position) {
    super(message);
    this.position = position;
  }

  public int position() {
    return position;
  }
}
