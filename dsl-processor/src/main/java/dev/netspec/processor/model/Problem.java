package dev.netspec.processor.model;

/** A rule a stage breaks: the attribute at fault (null = the annotation as a whole) and what to say. */
public record Problem(String attribute, String message) {
  public static Problem on(String attribute, String message) {
    return new Problem(attribute, message);
  }

  public static Problem whole(String message) {
    return new Problem(null, message);
  }
}
