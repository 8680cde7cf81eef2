package dev.netspec.processor.read;

/**
 * An attribute whose value the compiler could not give (an unresolved constant, a type error the
 * compiler reports itself). The spec is skipped; javac's own error tells the user why.
 */
public final class UnreadableValueException extends RuntimeException {
  private final String attribute;

  public UnreadableValueException(String attribute) {
    super("the value of '" + attribute + "' cannot be read", null, false, false);
    this.attribute = attribute;
  }

  public String attribute() {
    return attribute;
  }
}
