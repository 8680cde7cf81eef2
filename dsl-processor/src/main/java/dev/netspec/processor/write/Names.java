package dev.netspec.processor.write;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/** The names the generated class declares for a stage. */
public final class Names {
  private Names() {}

  /** {@code denseBlock1} → {@code DENSE_BLOCK1}: the prefix of a stage's constants. */
  public static String constant(String stage) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < stage.length(); i++) {
      char c = stage.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && stage.charAt(i - 1) != '_'
          && !Character.isUpperCase(stage.charAt(i - 1))) {
        out.append('_');
      }
      out.append(c);
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }

  /** {@code conv0} → {@code buildConv0}: the private method that builds a stage. */
  public static String builder(String stage) {
    return "build" + Character.toUpperCase(stage.charAt(0)) + stage.substring(1);
  }

  /** How a type is named from its package: {@code Outer.Spec} for a nested spec. */
  public static String referenceFromPackage(TypeElement type) {
    List<String> parts = new ArrayList<>();
    Element e = type;
    while (e != null && e.getKind() != ElementKind.PACKAGE) {
      parts.add(0, e.getSimpleName().toString());
      e = e.getEnclosingElement();
    }
    return String.join(".", parts);
  }

  /** A float literal written the same way whichever compiler runs the processor. */
  public static String floatLiteral(double value) {
    return Float.toString((float) value) + "f";
  }
}
