package dev.netspec.examples.property;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The source text of one annotation, with only the attributes that differ from their defaults, so
 * that a spec reads as a person would write it and the defaults are exercised too.
 */
final class AnnotationText {
  private final String name;
  private final List<String> attributes = new ArrayList<>();

  AnnotationText(String name) {
    this.name = name;
  }

  /** Sets {@code attribute} to {@code value}, written as {@link #literal} writes it. */
  AnnotationText set(String attribute, Object value) {
    attributes.add(attribute + " = " + literal(value));
    return this;
  }

  /** Sets {@code attribute} to a piece of code written as it is, such as {@code UsedSpec.class}. */
  AnnotationText setCode(String attribute, String code) {
    attributes.add(attribute + " = " + code);
    return this;
  }

  /** Sets {@code attribute} unless {@code value} is its default. */
  AnnotationText setUnless(Object defaultValue, String attribute, Object value) {
    return value.equals(defaultValue) ? this : set(attribute, value);
  }

  /** A Java literal: {@code Act.RELU} for an enum constant, {@code 0.5} for a double. */
  static String literal(Object value) {
    if (value instanceof Enum<?> constant) {
      return constant.getDeclaringClass().getSimpleName() + "." + constant.name();
    }
    if (value instanceof Double real) {
      return String.format(Locale.ROOT, "%s", real);
    }
    if (value instanceof String text) {
      return "\"" + text + "\"";
    }
    return value.toString();
  }

  /**
   * {@code @Conv(channels = 8, kernel = 5)}, {@code @Activation(Act.ELU)} where {@code value} is
   * the only attribute, or {@code @Flatten} without attributes.
   */
  @Override
  public String toString() {
    if (attributes.isEmpty()) {
      return "@" + name;
    }
    if (attributes.size() == 1 && attributes.get(0).startsWith(VALUE)) {
      return "@" + name + "(" + attributes.get(0).substring(VALUE.length()) + ")";
    }
    return "@" + name + "(" + String.join(", ", attributes) + ")";
  }

  private static final String VALUE = "value = ";
}
