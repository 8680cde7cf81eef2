package dev.netspec.processor.read;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;

/** One stage method as written: its name, its stage annotation and its modifiers. */
public record StageDecl(
    ExecutableElement method, String name, StageKind kind, Attributes attributes,
    List<ModifierDecl> modifiers) {

  /** A modifier annotation beside the stage annotation. */
  public record ModifierDecl(ModifierKind kind, Attributes attributes) {}

  /** The modifier of this kind, if the method carries it. */
  public Optional<ModifierDecl> modifier(ModifierKind kind) {
    return modifiers.stream().filter(m -> m.kind() == kind).findFirst();
  }
}
