package dev.netspec.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named kill points, for tests that a run folder survives a kill at any instant. With {@code
 * -Dnetspec.faultInjection.killAt=<point>} (or {@code <point>#<n>}: the n-th time it is
 * reached) the JVM halts at once when the run reaches that point, as {@code kill -9} would stop
 * it: no finally blocks, no shutdown hooks. Without the property every point does nothing.
 *
 * <p>Points: {@code rename:<file>} (a file written in full beside its target, not yet renamed
 * into place), {@code torn:<phase>-row} (half a metrics row written), and the steps after an
 * epoch's checkpoint, {@code epoch-end:saved}, {@code epoch-end:best}, {@code epoch-end:pruned},
 * {@code epoch-end:plotted} and {@code epoch-end:done}.
 */
public final class FaultInjection {
  /** The system property naming the kill point. */
  public static final String PROPERTY = "netspec.faultInjection.killAt";
  /** The exit status of a JVM halted at a kill point. */
  public static final int HALTED = 86;

  private static final String POINT;
  private static final int OCCURRENCE;
  private static final AtomicInteger REACHED = new AtomicInteger();

  static {
    String spec = System.getProperty(PROPERTY);
    int hash = spec == null ? -1 : spec.lastIndexOf('#');
    POINT = hash < 0 ? spec : spec.substring(0, hash);
    OCCURRENCE = hash < 0 ? 1 : Integer.parseInt(spec.substring(hash + 1));
  }

  /** What a kill in the middle of an operation leaves behind, done before halting. */
  @FunctionalInterface
  public interface Partial {
    void run() throws IOException;
  }

  private FaultInjection() {}

  /** Halts the JVM if this is the kill point (and its occurrence). */
  public static void reach(String point) {
    reach(point, () -> {});
  }

  /** Does {@code partial}, then halts the JVM, if this is the kill point (and its occurrence). */
  public static void reach(String point, Partial partial) {
    if (POINT == null || !POINT.equals(point) || REACHED.incrementAndGet() != OCCURRENCE) {
      return;
    }
    try {
      partial.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime.getRuntime().halt(HALTED);
  }
}
