package dev.netspec.processor.model;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

/** timm's widths and the divisors that fixes suggest. */
class ArithmeticTest {

  @Test
  void divisors() {
    assertThat(Arithmetic.gcd(64, 60)).isEqualTo(4);
    assertThat(Arithmetic.gcd(7, 0)).isEqualTo(7);
    assertThat(Arithmetic.nearestDivisor(64, 5)).isEqualTo(4);
    assertThat(Arithmetic.nearestDivisor(60, 7)).isEqualTo(6);
    assertThat(Arithmetic.nearestDivisor(12, 12)).isEqualTo(12);
    assertThat(Arithmetic.nearestDivisor(1, 32)).isEqualTo(1);
  }

  @Test
  void makeDivisibleRoundsAndKeepsWithinTenPercent() {
    assertThat(Arithmetic.makeDivisible(100, 8, 32)).isEqualTo(104);
    assertThat(Arithmetic.makeDivisible(4, 8, 32)).isEqualTo(32);
    // 90 rounds down to 64, more than 10% below: one divisor more
    assertThat(Arithmetic.makeDivisible(90, 64, 1)).isEqualTo(128);
  }
}
