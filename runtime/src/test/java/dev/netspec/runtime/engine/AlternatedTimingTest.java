package dev.netspec.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Engines are timed in blocks, in turns, each block after one untimed run where they switch. */
class AlternatedTimingTest {
  /** A clock that one run of {@code a} advances by 3 ms and of {@code b} by 1 ms. */
  private long now;

  @Test
  void twoWaysRunInBlocksAfterAnUntimedRunAndGiveTheirOwnTimes() {
    List<String> order = new ArrayList<>();
    Runnable a = () -> {
      order.add("a");
      now += 3_000_000;
    };
    Runnable b = () -> {
      order.add("b");
      now += 1_000_000;
    };
    double[][] ms = new AlternatedTiming(2, 3, () -> now).millis(List.of(a, b));
    assertEquals(List.of("a", "a", "a", "a", "b", "b", "b", "b", "a", "a", "a", "a", "b", "b",
        "b", "b"), order);
    assertArrayEquals(new double[] {3, 3, 3, 3, 3, 3}, ms[0]);
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, ms[1]);
  }

  @Test
  void oneWayAloneHasNoSwitchToSettle() {
    int[] runs = {0};
    double[][] ms = new AlternatedTiming(1, 4, () -> now).millis(List.of(() -> {
      runs[0]++;
      now += 2_000_000;
    }));
    assertEquals(4, runs[0]);
    assertEquals(4, ms[0].length);
  }

  @Test
  void medians() {
    assertEquals(2.0, AlternatedTiming.median(new double[] {5, 1, 2}));
    assertEquals(2.5, AlternatedTiming.median(new double[] {4, 1, 3, 2}));
    assertThrows(IllegalArgumentException.class, () -> new AlternatedTiming(0, 1, () -> 0));
  }
}
