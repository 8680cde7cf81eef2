package dev.netspec.processor.block;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpressionTest {
  private static long eval(String text, Map<String, Long> names) {
    return Expression.parse(text).evaluate(names);
  }

  @Test
  void precedenceParenthesesAndFloorDivision() {
    Map<String, Long> names = Map.of("in", 32L, "expand", 6L);
    assertThat(eval("in * expand", names)).isEqualTo(192);
    assertThat(eval("in + 2 * 3", names)).isEqualTo(38);
    assertThat(eval("(in + 2) * 3", names)).isEqualTo(102);
    assertThat(eval("7 / 2", names)).isEqualTo(3);
    assertThat(eval("-7 / 2", names)).isEqualTo(-4);
    assertThat(eval("in - -1", names)).isEqualTo(33);
    assertThat(Expression.parse("in * expand / 4").names()).containsExactly("expand", "in");
  }

  /** Values of timm's make_divisible(v, 8) (and torchvision's _make_divisible). */
  @Test
  void divisibleRoundsAsMakeDivisible() {
    assertThat(eval("divisible(30, 8)", Map.of())).isEqualTo(32);
    assertThat(eval("divisible(26, 8)", Map.of())).isEqualTo(24);
    assertThat(eval("divisible(27, 8)", Map.of())).isEqualTo(32);   // 24 < 0.9 * 27
    assertThat(eval("divisible(3, 8)", Map.of())).isEqualTo(8);
    assertThat(eval("divisible(20, 8)", Map.of())).isEqualTo(24);   // 20 + 4 rounds up
    assertThat(eval("divisible(19, 16)", Map.of())).isEqualTo(32);  // 16 < 0.9 * 19
    assertThat(eval("divisible(240 / 4, 8)", Map.of())).isEqualTo(64);
  }

  @Test
  void malformedExpressionsSayWhere() {
    ExpressionException e = assertThrows(ExpressionException.class, () -> Expression.parse("2 * (in"));
    assertThat(e.getMessage()).isEqualTo("expected ')' at column 8 of \"2 * (in\"");
    assertThat(assertThrows(ExpressionException.class, () -> Expression.parse(" ")).getMessage())
        .isEqualTo("the expression is empty");
    assertThrows(ArithmeticException.class, () -> eval("in / 0", Map.of("in", 3L)));
  }

  @Test
  void bindings() {
    Binding b = Binding.parse("out = in * 2", true);
    assertThat(b.name()).isEqualTo("out");
    assertThat(b.value().evaluate(Map.of("in", 5L))).isEqualTo(10);
    assertThat(Binding.parse("stride", false).value()).isNull();
    assertThat(assertThrows(ExpressionException.class, () -> Binding.parse("stride", true))
        .getMessage()).isEqualTo("\"stride\" gives no value; write \"stride = <value>\"");
    assertThat(assertThrows(ExpressionException.class, () -> Binding.parse("in = 3", false))
        .getMessage()).contains("'in' is a word of the expressions");
  }

  @Test
  void suggestions() {
    assertThat(Suggestions.closest("expnad", java.util.List.of("out", "expand", "stride"))).hasValue("expand");
    assertThat(Suggestions.closest("zzz", java.util.List.of("out", "expand"))).isEmpty();
  }
}
