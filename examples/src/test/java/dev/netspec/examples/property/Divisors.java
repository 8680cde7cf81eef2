package dev.netspec.examples.property;

import java.util.ArrayList;
import java.util.List;

/** Group counts that divide a number of channels, chosen by a drawn index. */
final class Divisors {
  private Divisors() {}

  /** The divisors of {@code n} in increasing order: 1 first, which an index of 0 picks. */
  static List<Integer> of(int n) {
    List<Integer> divisors = new ArrayList<>();
    for (int d = 1; d <= n; d++) {
      if (n % d == 0) {
        divisors.add(d);
      }
    }
    return divisors;
  }

  /** The divisor of {@code n} at {@code index}, wrapped around the list. */
  static int pick(int n, int index) {
    List<Integer> divisors = of(n);
    return divisors.get(index % divisors.size());
  }

  /** A divisor of both {@code a} and {@code b}. */
  static int common(int a, int b, int index) {
    return pick(gcd(a, b), index);
  }

  static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
