package dev.netspec.examples.property;

import java.util.Optional;

/**
 * The random choices for one stage, drawn without knowing where it will stand; written for its
 * actual input, where the choices are fitted to what the input allows (groups that divide its
 * channels, windows that fit its size), so that every spec is valid by construction and stays
 * valid when shrinking removes a stage before it.
 */
interface StageDraw {

  /** The prefix of the stage's method name: "conv" for {@code conv3()}. */
  String name();

  /** The stage fitted to {@code in}; empty where no stage of this kind can follow it. */
  Optional<WrittenStage> write(SpecShape in, SpecWriter writer);
}
