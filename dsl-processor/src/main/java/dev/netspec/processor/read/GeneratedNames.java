package dev.netspec.processor.read;

import javax.lang.model.element.TypeElement;

/** The name of the class generated for a spec. */
public final class GeneratedNames {
  private GeneratedNames() {}

  /** {@code @Network(name)}, else the spec's name minus a trailing "Spec", else its name + "Graph". */
  public static String className(TypeElement spec, Attributes network) {
    String name = network.string("name");
    if (!name.isEmpty()) {
      return name;
    }
    String simple = spec.getSimpleName().toString();
    return simple.endsWith("Spec") && simple.length() > 4
        ? simple.substring(0, simple.length() - 4)
        : simple + "Graph";
  }
}
