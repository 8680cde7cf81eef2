package dev.netspec.processor.read;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/**
 * A spec interface as written: its {@code @Network}, its {@code @Expect} and its stages in order.
 *
 * @param stages the methods read as stages, in declaration order
 * @param shaped how many of {@code stages} come before the first method that could not be read as
 *     a stage (its error reported): the shapes of the stages from there on are unknown
 */
public record SpecDecl(
    TypeElement spec, Attributes network, Optional<Attributes> expect, List<StageDecl> stages,
    int shaped) {

  public String packageName(javax.lang.model.util.Elements elements) {
    return elements.getPackageOf(spec).getQualifiedName().toString();
  }
}
