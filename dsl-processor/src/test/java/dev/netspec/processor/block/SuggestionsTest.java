package dev.netspec.processor.block;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** "did you mean": which misspellings find their name. */
class SuggestionsTest {
  private static final List<String> KNOWN = List.of("in", "width", "expand", "dilation", "stride");

  @Test
  void swappedNeighboursAreOneEdit() {
    assertThat(Suggestions.closest("widht", KNOWN)).hasValue("width");
    assertThat(Suggestions.closest("strdie", KNOWN)).hasValue("stride");
  }

  @Test
  void editsUpToAThirdOfTheName() {
    assertThat(Suggestions.closest("dilaton", KNOWN)).hasValue("dilation");
    assertThat(Suggestions.closest("expnad", KNOWN)).hasValue("expand");
    assertThat(Suggestions.closest("groups", KNOWN)).isEmpty();
    assertThat(Suggestions.hint("groups", KNOWN))
        .isEqualTo("; the names are dilation, expand, in, stride, width");
  }
}
