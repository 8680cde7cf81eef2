package dev.netspec.processor.model;

/** Widths as timm computes them, and the divisors that rules suggest as fixes. */
public final class Arithmetic {
  private Arithmetic() {}

  /**
   * timm's {@code make_divisible(v, divisor, min_value)}: {@code v} rounded to the nearest multiple
   * of {@code divisor}, at least {@code minValue}, and never more than 10% below {@code v}.
   */
  public static int makeDivisible(double v, int divisor, int minValue) {
    int rounded = Math.max(minValue, (int) (v + divisor / 2.0) / divisor * divisor);
    return rounded < 0.9 * v ? rounded + divisor : rounded;
  }

  public static int gcd(int a, int b) {
    return b == 0 ? Math.abs(a) : gcd(b, a % b);
  }

  /** The divisor of {@code n} nearest to {@code wanted}, for "try groups = …" fixes. */
  public static int nearestDivisor(int n, int wanted) {
    int best = 1;
    for (int d = 1; d <= n; d++) {
      if (n % d == 0 && Math.abs(d - wanted) < Math.abs(best - wanted)) {
        best = d;
      }
    }
    return best;
  }
}
