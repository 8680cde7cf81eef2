package dev.netspec.processor.read;

import java.util.List;
import javax.lang.model.element.ExecutableElement;

/** One stage method as written: its name, its stage annotation and its modifiers. */
public record StageDecl(
    ExecutableElement method, String name, StageKind kind, Attributes attributes,
    List<ModifierDecl> modifiers) {

  /** A modifier annotation beside the stage annotation. */
  public record ModifierDecl(ModifierKind kind, Attributes attributes) {}
}
