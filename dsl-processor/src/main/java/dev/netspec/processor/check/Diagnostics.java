package dev.netspec.processor.check;

import dev.netspec.processor.model.Problem;
import dev.netspec.processor.read.Attributes;
import dev.netspec.processor.read.StageDecl;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports errors on the element, annotation and attribute at fault, so that javac prints the
 * line of the attribute and an IDE underlines it. Counts what it reported, so a spec with errors
 * is never generated.
 */
public final class Diagnostics {
  private final Messager messager;
  private int errors;

  public Diagnostics(Messager messager) {
    this.messager = messager;
  }

  /** Counts errors without printing them: for reading another spec, which reports its own. */
  public static Diagnostics silent() {
    return new Diagnostics(null);
  }

  /** An error on an element as a whole: a method's signature, a spec's kind. */
  public void error(Element element, String message) {
    errors++;
    if (messager != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }
  }

  /** An error on an annotation as a whole. */
  public void error(Element element, AnnotationMirror annotation, String message) {
    errors++;
    if (messager != null) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, annotation);
    }
  }

  /**
   * An error on one attribute: on its value where the user wrote one, else on the annotation
   * (the attribute took its default).
   */
  public void error(Element element, Attributes annotation, String attribute, String message) {
    errors++;
    if (messager == null) {
      return;
    }
    Attributes.Site site = annotation.site(attribute);
    if (site.value().isPresent()) {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, site.mirror(),
          site.value().get());
    } else {
      messager.printMessage(Diagnostic.Kind.ERROR, message, element, site.mirror());
    }
  }

  /**
   * Each problem of a stage on its annotation: the stage annotation, or the modifier it names, on
   * the attribute at fault.
   */
  public void report(StageDecl decl, List<Problem> problems) {
    for (Problem problem : problems) {
      Attributes annotation = problem.modifier() == null ? decl.attributes()
          : decl.modifiers().stream()
              .filter(m -> m.kind().label().equals("@" + problem.modifier()))
              .map(StageDecl.ModifierDecl::attributes)
              .findFirst()
              .orElse(decl.attributes());
      error(decl.method(), annotation, problem.attribute(), problem.message());
    }
  }

  public void note(Element element, String message) {
    if (messager != null) {
      messager.printMessage(Diagnostic.Kind.NOTE, message, element);
    }
  }

  public int errorCount() {
    return errors;
  }
}
