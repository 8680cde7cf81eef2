package dev.netspec.processor.model;

/**
 * A rule a stage breaks: the attribute at fault (null = the annotation as a whole) and what to say.
 *
 * @param modifier the simple name of the modifier annotation at fault ("SqueezeExcite"), or null
 *     when the problem is the stage annotation's
 */
public record Problem(String attribute, String message, String modifier) {

  /** A problem of the stage annotation. */
  public Problem(String attribute, String message) {
    this(attribute, message, null);
  }

  public static Problem on(String attribute, String message) {
    return new Problem(attribute, message);
  }

  public static Problem whole(String message) {
    return new Problem(null, message);
  }

  /**
   * This problem, of an annotation nested at {@code path} of the stage annotation ("value[1]"):
   * its attribute becomes "value[1].with", or the nested annotation as a whole.
   */
  public Problem within(String path) {
    return new Problem(attribute == null ? path : path + "." + attribute, message, modifier);
  }

  /** A problem of modifier annotation {@code @modifier} beside the stage annotation. */
  public static Problem onModifier(String modifier, String attribute, String message) {
    return new Problem(attribute, message, modifier);
  }
}
