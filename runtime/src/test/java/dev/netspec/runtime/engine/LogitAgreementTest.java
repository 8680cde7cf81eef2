package dev.netspec.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Two outputs agree within 1e-4 of the reference's largest magnitude, and not otherwise. */
class LogitAgreementTest {
  private static TFloat32 of(float... values) {
    return TFloat32.tensorOf(Shape.of(1, values.length), DataBuffers.of(values, true, false));
  }

  @Test
  void theBoundIsRelativeToTheLargestLogit() {
    try (TFloat32 a = of(10f, -20f, 5f); TFloat32 close = of(10.001f, -20f, 5f);
        TFloat32 far = of(10.01f, -20f, 5f)) {
      LogitAgreement near = LogitAgreement.of(a, close);
      assertEquals(20, near.maxMagnitude());
      assertEquals(0.001, near.maxDifference(), 1e-5);
      assertTrue(near.holds(), near.describe());
      assertFalse(LogitAgreement.of(a, far).holds());
    }
  }

  @Test
  void aValueThatIsNotFiniteNeverAgrees() {
    try (TFloat32 a = of(1f, 2f); TFloat32 nan = of(Float.NaN, 2f);
        TFloat32 infinite = of(1f, Float.POSITIVE_INFINITY)) {
      assertFalse(LogitAgreement.of(a, nan).holds());
      assertFalse(LogitAgreement.of(a, infinite).holds());
      assertFalse(LogitAgreement.of(nan, a).holds());
    }
  }

  @Test
  void shapesMustMatch() {
    try (TFloat32 a = of(1f, 2f); TFloat32 b = of(1f, 2f, 3f)) {
      assertThrows(IllegalArgumentException.class, () -> LogitAgreement.of(a, b));
    }
  }
}
