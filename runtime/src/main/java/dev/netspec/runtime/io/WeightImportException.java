package dev.netspec.runtime.io;

import java.util.List;

/**
 * An import refused before any variable was changed, with every problem found: missing,
 * unexpected and mis-shaped tensors, unreadable ones, names two keys map to.
 */
public final class WeightImportException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Problems shown in the message; all of them are in {@link #problems()}. */
  private static final int SHOWN = 30;

  private final List<String> problems;

  public WeightImportException(String what, List<String> problems) {
    super(message(what, problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }

  private static String message(String what, List<String> problems) {
    StringBuilder text = new StringBuilder(what).append("; nothing loaded");
    problems.stream().limit(SHOWN).forEach(p -> text.append("\n  ").append(p));
    if (problems.size() > SHOWN) {
      text.append("\n  ... and ").append(problems.size() - SHOWN).append(" more");
    }
    return text.toString();
  }
}
