package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Shortcut;
import dev.netspec.processor.block.Binding;
import java.util.List;
import java.util.Map;

/**
 * A block declared with {@code @BlockSpec}, as a use sees it: its parameters, its shortcut, and
 * its stages made for given values of its parameters.
 */
public interface BlockTemplate {

  /** The block interface's simple name, for messages: "InvertedResidual". */
  String name();

  /** The declared parameters in order; a parameter without a default has a null value. */
  List<Binding> parameters();

  Shortcut shortcut();

  /** The activation after the shortcut; {@link Act#NONE} for none. */
  Act act();

  /**
   * The block's stages, named by their methods, for {@code values} (every parameter and {@link
   * Binding#INPUT}); what keeps a stage from being made is in {@code problems}, each naming its
   * method.
   */
  List<NamedStage> instantiate(Map<String, Long> values, List<String> problems);
}
