package dev.netspec.runtime.io;

/** A {@code .safetensors} file that does not follow the format, or holds what cannot be read. */
public final class SafetensorsFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SafetensorsFormatException(String message) {
    super(message);
  }

  public SafetensorsFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
