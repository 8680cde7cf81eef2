package dev.netspec.processor.model;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Output sizes, parameters and MACs, as PyTorch computes them. */
class ArithmeticTest {

  @ParameterizedTest(name = "side {0}, kernel {1}, stride {2}, padding {3}, ceil {4} -> {5}")
  @CsvSource({
      // ResNet's max pool: 112 -> 56; in ceil mode 112 -> 57.
      "112, 3, 2, 1, false, 56",
      "112, 3, 2, 1, true, 57",
      // GoogLeNet's ceil-mode pools: 112 -> 56 -> 28 -> 14, then 14 -> 7 with a 2x2 window.
      "112, 3, 2, 0, true, 56",
      "56, 3, 2, 0, true, 28",
      "28, 3, 2, 0, true, 14",
      "14, 2, 2, 0, true, 7",
      // An odd side: floor drops the last column, ceil keeps it.
      "5, 2, 2, 0, false, 2",
      "5, 2, 2, 0, true, 3",
      "7, 3, 2, 0, false, 3",
      "8, 3, 2, 0, true, 4",
      // PyTorch's rule: the last window must start inside the input or its left padding, so
      // 3 with kernel 2, stride 2, padding 1 in ceil mode gives 2, not 3.
      "3, 2, 2, 1, true, 2",
      "3, 2, 2, 1, false, 2",
      "4, 3, 3, 1, true, 2",
      // A window as large as the input.
      "7, 7, 7, 0, false, 1",
      "1, 1, 1, 0, true, 1",
  })
  void poolSide(int side, int kernel, int stride, int padding, boolean ceil, int expected) {
    assertThat(Arithmetic.poolSide(side, kernel, stride, padding, ceil)).isEqualTo(expected);
  }

  @Test
  void poolSideOfADynamicSizeIsDynamic() {
    assertThat(Arithmetic.poolSide(TensorShape.DYNAMIC, 3, 2, 1, true)).isEqualTo(TensorShape.DYNAMIC);
  }

  @ParameterizedTest(name = "side {0}, kernel {1}, stride {2}, padding {3}, dilation {4} -> {5}")
  @CsvSource({
      "224, 7, 2, 3, 1, 112",
      "56, 3, 1, 1, 1, 56",
      "56, 3, 2, 1, 1, 28",
      "56, 1, 2, 0, 1, 28",
      "7, 3, 1, 2, 2, 7",
      "5, 3, 2, 0, 1, 2",
      "32, 5, 1, 0, 1, 28",
      "15, 3, 2, 1, 1, 8",
      "9, 3, 1, 0, 4, 1",
  })
  void convSide(int side, int kernel, int stride, int padding, int dilation, int expected) {
    assertThat(Arithmetic.convSide(side, kernel, stride, padding, dilation)).isEqualTo(expected);
  }

  @Test
  void convSideOfADynamicSizeIsDynamic() {
    assertThat(Arithmetic.convSide(TensorShape.DYNAMIC, 3, 2, 1, 1)).isEqualTo(TensorShape.DYNAMIC);
  }

  @Test
  void convParametersAndMacs() {
    assertThat(Arithmetic.convParameters(64, 128, 3, 1, false)).isEqualTo(9 * 64 * 128);
    assertThat(Arithmetic.convParameters(64, 128, 3, 1, true)).isEqualTo(9 * 64 * 128 + 128);
    // Grouped: each output channel sees in / groups inputs.
    assertThat(Arithmetic.convParameters(64, 128, 3, 32, false)).isEqualTo(9 * 2 * 128);
    assertThat(Arithmetic.convMacs(64, 128, 3, 32, 56 * 56)).isEqualTo(9L * 2 * 128 * 56 * 56);
    assertThat(Arithmetic.convMacs(64, 128, 3, 1, -1)).isEqualTo(-1);
    // Large enough to overflow an int.
    assertThat(Arithmetic.convMacs(2048, 2048, 3, 1, 224 * 224)).isEqualTo(9L * 2048 * 2048 * 224 * 224);
    assertThat(Arithmetic.conv(3, 64, 7, 1, false, 112 * 112))
        .isEqualTo(new Cost(9408, 9408L * 112 * 112));
  }

  @Test
  void normalizationAndActivations() {
    assertThat(Arithmetic.batchNorm(64)).isEqualTo(new Cost(128, 0));
    assertThat(Arithmetic.activation(dev.netspec.annotations.Act.PRELU, 64)).isEqualTo(new Cost(64, 0));
    assertThat(Arithmetic.activation(dev.netspec.annotations.Act.RELU, 64)).isEqualTo(Cost.NONE);
    assertThat(Arithmetic.normAct(dev.netspec.annotations.Act.PRELU, 10)).isEqualTo(new Cost(30, 0));
  }

  @Test
  void costsAddAndStayDynamic() {
    assertThat(new Cost(1, 2).plus(new Cost(3, 4))).isEqualTo(new Cost(4, 6));
    assertThat(new Cost(1, -1).plus(new Cost(3, 4))).isEqualTo(new Cost(4, -1));
    assertThat(new Cost(1, 2).plus(new Cost(3, -1))).isEqualTo(new Cost(4, -1));
  }

  @Test
  void divisors() {
    assertThat(Arithmetic.gcd(64, 60)).isEqualTo(4);
    assertThat(Arithmetic.gcd(7, 0)).isEqualTo(7);
    assertThat(Arithmetic.nearestDivisor(64, 5)).isEqualTo(4);
    assertThat(Arithmetic.nearestDivisor(60, 7)).isEqualTo(6);
    assertThat(Arithmetic.nearestDivisor(12, 12)).isEqualTo(12);
    assertThat(Arithmetic.nearestDivisor(1, 32)).isEqualTo(1);
  }
}
