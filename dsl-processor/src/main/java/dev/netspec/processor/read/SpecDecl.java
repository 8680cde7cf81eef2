package dev.netspec.processor.read;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/** A spec interface as written: its {@code @Network}, its {@code @Expect} and its stages in order. */
public record SpecDecl(
    TypeElement spec, Attributes network, Optional<Attributes> expect, List<StageDecl> stages) {

  public String packageName(javax.lang.model.util.Elements elements) {
    return elements.getPackageOf(spec).getQualifiedName().toString();
  }
}
