package dev.netspec.processor.write;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class NamesTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "conv0, CONV0",
      "denseBlock1, DENSE_BLOCK1",
      "denseblock1, DENSEBLOCK1",
      "fooBar, FOO_BAR",
      "foo_bar, FOO_BAR",
      "layer1, LAYER1",
      "x, X",
      "a_B, A_B",
      "URLParser, URLPARSER",
      "conv2D, CONV2_D",
      "myConvLayer, MY_CONV_LAYER",
      "Stem, STEM",
  })
  void constant(String stage, String expected) {
    assertThat(Names.constant(stage)).isEqualTo(expected);
  }

  @Test
  void builder() {
    assertThat(Names.builder("conv0")).isEqualTo("buildConv0");
    assertThat(Names.builder("x")).isEqualTo("buildX");
    assertThat(Names.builder("Stem")).isEqualTo("buildStem");
  }

  @Test
  void floatLiteralIsTheSameUnderEveryCompiler() {
    assertThat(Names.floatLiteral(1e-5)).isEqualTo("1.0E-5f");
    assertThat(Names.floatLiteral(0.1)).isEqualTo("0.1f");
    assertThat(Names.floatLiteral(0)).isEqualTo("0.0f");
  }
}
