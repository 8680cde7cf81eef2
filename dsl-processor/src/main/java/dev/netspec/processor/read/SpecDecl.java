package dev.netspec.processor.read;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/**
 * A spec interface as written: its {@code @Network}, its {@code @Expect} and its stages in order.
 *
 * @param stages the methods read as stages, in declaration order
 * @param firstGap where the first method that could not be read as a stage (its error reported)
 *     stands: the index in {@code stages} of the stage after it ({@code stages.size()} when it
 *     is the last), or -1 when every method is a stage. From there on the shapes are unknown.
 */
public record SpecDecl(
    TypeElement spec, Attributes network, Optional<Attributes> expect, List<StageDecl> stages,
    int firstGap) {

  public String packageName(javax.lang.model.util.Elements elements) {
    return elements.getPackageOf(spec).getQualifiedName().toString();
  }
}
