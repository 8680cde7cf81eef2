package dev.netspec.processor.model;

import java.util.List;
import java.util.function.UnaryOperator;

/** A stage with the name of its method. */
public record NamedStage(String name, Stage stage) {

  /**
   * What places each stage among {@code spec}'s stages (in order), for the kinds whose settings
   * are relative to another stage of the spec ({@link Stage#among}).
   */
  public static UnaryOperator<NamedStage> placedAmong(List<NamedStage> spec) {
    return named -> new NamedStage(named.name(), named.stage().among(spec));
  }
}
