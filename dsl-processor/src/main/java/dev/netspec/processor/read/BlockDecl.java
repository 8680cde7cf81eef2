package dev.netspec.processor.read;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Shortcut;
import dev.netspec.processor.block.Binding;
import dev.netspec.processor.block.Expression;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.TypeElement;

/**
 * A {@code @BlockSpec} interface as written and checked on its own: its parameters, shortcut,
 * activation, stages, and each stage's {@code @Let} expressions by attribute.
 *
 * @param lets for each stage (by index), the attributes its {@code @Let} sets
 */
public record BlockDecl(
    TypeElement type, List<Binding> parameters, Shortcut shortcut, Act act,
    List<StageDecl> stages, List<Map<String, Expression>> lets) {

  public String name() {
    return type.getSimpleName().toString();
  }
}
