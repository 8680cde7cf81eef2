package dev.netspec.runtime.train;

import java.util.Map;

/** Typed reads of string metadata (a checkpoint's), failing with the key and what it holds. */
record Metadata(Map<String, String> values, String what) {

  String text(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException("the " + what + " has no '" + key + "'");
    }
    return value;
  }

  double real(String key) {
    try {
      return Double.parseDouble(text(key));
    } catch (NumberFormatException e) {
      throw bad(key, "a number");
    }
  }

  int integer(String key) {
    try {
      return Integer.parseInt(text(key));
    } catch (NumberFormatException e) {
      throw bad(key, "an integer");
    }
  }

  long longInteger(String key) {
    try {
      return Long.parseLong(text(key));
    } catch (NumberFormatException e) {
      throw bad(key, "an integer");
    }
  }

  boolean flag(String key) {
    String value = text(key);
    if (!value.equals("true") && !value.equals("false")) {
      throw bad(key, "true or false");
    }
    return Boolean.parseBoolean(value);
  }

  private IllegalArgumentException bad(String key, String expected) {
    return new IllegalArgumentException("the " + what + "'s '" + key + "' should be " + expected
        + ", got '" + values.get(key) + "'");
  }
}
