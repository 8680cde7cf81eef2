package dev.netspec.processor.block;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An integer expression of a block: integers, names (the block's parameters and {@code in}), {@code
 * + - * /} with floor division, parentheses and {@code divisible(v, d)}. Parsed once, where the
 * block is compiled, and evaluated at each use.
 */
public sealed interface Expression {

  /** The value for these names, which must hold every name the expression uses. */
  long evaluate(Map<String, Long> names);

  /** The names it uses. */
  default Set<String> names() {
    Set<String> names = new TreeSet<>();
    collect(names);
    return names;
  }

  void collect(Set<String> names);

  /** Parses {@code text}; throws {@link ExpressionException} with the position of the fault. */
  static Expression parse(String text) {
    return new ExpressionParser(text).parse();
  }

  /** An integer literal. */
  record Literal(long value) implements Expression {
    @Override
    public long evaluate(Map<String, Long> names) {
      return value;
    }

    @Override
    public void collect(Set<String> names) {}
  }

  /** A parameter, or {@code in}. */
  record Name(String name) implements Expression {
    @Override
    public long evaluate(Map<String, Long> names) {
      Long value = names.get(name);
      if (value == null) {
        throw new IllegalStateException("no value for " + name);
      }
      return value;
    }

    @Override
    public void collect(Set<String> names) {
      names.add(name);
    }
  }

  /** {@code -x}. */
  record Negation(Expression operand) implements Expression {
    @Override
    public long evaluate(Map<String, Long> names) {
      return Math.negateExact(operand.evaluate(names));
    }

    @Override
    public void collect(Set<String> names) {
      operand.collect(names);
    }
  }

  /** {@code a op b}, {@code /} rounding down as Python's {@code //}. */
  record Binary(char operator, Expression left, Expression right) implements Expression {
    @Override
    public long evaluate(Map<String, Long> names) {
      long a = left.evaluate(names);
      long b = right.evaluate(names);
      return switch (operator) {
        case '+' -> Math.addExact(a, b);
        case '-' -> Math.subtractExact(a, b);
        case '*' -> Math.multiplyExact(a, b);
        case '/' -> {
          if (b == 0) {
            throw new ArithmeticException("division by zero in " + this);
          }
          yield Math.floorDiv(a, b);
        }
        default -> throw new IllegalStateException("operator " + operator);
      };
    }

    @Override
    public void collect(Set<String> names) {
      left.collect(names);
      right.collect(names);
    }

    @Override
    public String toString() {
      return "(" + left + " " + operator + " " + right + ")";
    }
  }

  /**
   * {@code divisible(v, d)}: timm's and torchvision's {@code make_divisible(v, d)}, {@code v}
   * rounded to the nearest multiple of {@code d} (halves up), at least {@code d}, and one {@code
   * d} more where rounding down lost more than 10 % of {@code v}.
   */
  record Divisible(Expression value, Expression divisor) implements Expression {
    @Override
    public long evaluate(Map<String, Long> names) {
      long v = value.evaluate(names);
      long d = divisor.evaluate(names);
      if (d < 1) {
        throw new ArithmeticException("divisible(" + v + ", " + d + ") needs a divisor of at least 1");
      }
      return makeDivisible(v, d);
    }

    /** {@code max(d, int(v + d / 2) // d * d)}, plus d where that is below 0.9 v. */
    static long makeDivisible(long v, long d) {
      // int(v + d / 2) with d / 2 a float: for an odd d the half is dropped by int() for v >= 0
      long rounded = Math.max(d, Math.floorDiv(2 * v + d, 2 * d) * d);
      return 10 * rounded < 9 * v ? rounded + d : rounded;
    }

    @Override
    public void collect(Set<String> names) {
      value.collect(names);
      divisor.collect(names);
    }
  }
}
