package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PoolGeometryTest {

  @Test
  void floorMode() {
    assertEquals(4, PoolGeometry.outputSize(7, 3, 2, 1, false));
    assertEquals(2, PoolGeometry.outputSize(5, 2, 2, 0, false));
    assertEquals(56, PoolGeometry.outputSize(112, 3, 2, 1, false));
    assertEquals(0, PoolGeometry.overhang(5, 2, 2, 0, false));
  }

  @Test
  void ceilModeAddsAPartialWindow() {
    assertEquals(4, PoolGeometry.outputSize(7, 3, 2, 1, true));
    assertEquals(0, PoolGeometry.overhang(7, 3, 2, 1, true));
    assertEquals(3, PoolGeometry.outputSize(5, 2, 2, 0, true));
    assertEquals(1, PoolGeometry.overhang(5, 2, 2, 0, true));
    assertEquals(4, PoolGeometry.outputSize(6, 3, 2, 1, true));
    assertEquals(1, PoolGeometry.overhang(6, 3, 2, 1, true));
  }

  @Test
  void ceilModeDropsAWindowStartingInThePadding() {
    // ceil((5 + 2 - 2) / 2) + 1 = 4, but the 4th window would start at 6 >= 5 + 1
    assertEquals(3, PoolGeometry.outputSize(5, 2, 2, 1, true));
    assertEquals(0, PoolGeometry.overhang(5, 2, 2, 1, true));
  }

  @Test
  void ceilModeFitsAWindowLargerThanTheInputThatStartsInIt() {
    // PyTorch: AvgPool2d(2, 2, ceil_mode=True) on 1×1 gives 1×1; without ceil mode, nothing
    assertEquals(1, PoolGeometry.outputSize(1, 2, 2, 0, true));
    assertEquals(1, PoolGeometry.overhang(1, 2, 2, 0, true));
    assertEquals(0, PoolGeometry.outputSize(1, 2, 2, 0, false));
    assertEquals(0, PoolGeometry.outputSize(1, 3, 1, 0, true));
    assertEquals(0, PoolGeometry.outputSize(1, 4, 3, 0, true));
  }
}
