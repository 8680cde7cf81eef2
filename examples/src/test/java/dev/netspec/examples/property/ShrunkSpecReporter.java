package dev.netspec.examples.property;

import java.util.List;
import org.quicktheories.api.AsString;
import org.quicktheories.core.ExceptionReporter;

/**
 * Reports a falsified property with the smallest spec shrinking found, as its source, and the
 * failure it gave as the cause; QuickTheories' own report would add up to ten larger specs.
 * ({@code falisification} is how this version of QuickTheories spells the methods.)
 */
final class ShrunkSpecReporter extends ExceptionReporter {

  @Override
  public void falisification(long seed, int count, Object smallest, Throwable cause,
      List<Object> examples, AsString<Object> toString) {
    throw new AssertionError(message(seed, count, smallest, examples, toString) + "\nfails with "
        + cause, cause);
  }

  @Override
  public void falisification(long seed, int count, Object smallest, List<Object> examples,
      AsString<Object> toString) {
    throw new AssertionError(message(seed, count, smallest, examples, toString));
  }

  private static String message(long seed, int count, Object smallest, List<Object> examples,
      AsString<Object> toString) {
    return "falsified on try " + count + " of seed " + seed + "; the smallest of the "
        + (examples.size() + 1) + " failing specs found while shrinking:\n"
        + toString.asString(smallest);
  }
}
