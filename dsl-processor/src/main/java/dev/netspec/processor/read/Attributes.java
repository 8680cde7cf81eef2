package dev.netspec.processor.read;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;

/**
 * The attribute values of one annotation, read by name with defaults resolved.
 *
 * <p>Values are looked up by name, never by position: javac and the Eclipse compiler order them
 * differently. Enum and class values are read from their mirrors, so the processor never loads a
 * user's class.
 */
public final class Attributes {
  private final AnnotationMirror mirror;
  private final Map<String, AnnotationValue> values;
  private final Map<String, AnnotationValue> explicit;
  private final Elements elements;
  /** Integer values set elsewhere than in the annotation: a block's {@code @Let}. */
  private final Map<String, Integer> overrides;

  private Attributes(AnnotationMirror mirror, Elements elements) {
    this.mirror = mirror;
    this.elements = elements;
    this.overrides = Map.of();
    try {
      this.values = byName(elements.getElementValuesWithDefaults(mirror));
      this.explicit = byName(mirror.getElementValues());
    } catch (RuntimeException e) {
      // The Eclipse compiler throws for a value of the wrong type (rate = true), which it reports.
      throw new UnreadableValueException(
          mirror.getAnnotationType().asElement().getSimpleName().toString());
    }
  }

  private Attributes(Attributes base, Map<String, Integer> overrides) {
    this.mirror = base.mirror;
    this.elements = base.elements;
    this.values = base.values;
    this.explicit = base.explicit;
    Map<String, Integer> all = new LinkedHashMap<>(base.overrides);
    all.putAll(overrides);
    this.overrides = Map.copyOf(all);
  }

  public static Attributes of(AnnotationMirror mirror, Elements elements) {
    return new Attributes(mirror, elements);
  }

  /** These attributes with the integer attributes in {@code overrides} set to other values. */
  public Attributes with(Map<String, Integer> overrides) {
    return new Attributes(this, overrides);
  }

  private static Map<String, AnnotationValue> byName(
      Map<? extends ExecutableElement, ? extends AnnotationValue> raw) {
    Map<String, AnnotationValue> named = new LinkedHashMap<>();
    raw.forEach((key, value) -> named.put(key.getSimpleName().toString(), value));
    return named;
  }

  public AnnotationMirror mirror() {
    return mirror;
  }

  /**
   * Where an error on attribute {@code name} is reported: the annotation that holds it and the
   * value the user wrote, if any. A name may reach into an array of nested annotations, {@code
   * "value[1].with"}: the site is then the nested annotation, on its attribute where written.
   */
  public record Site(AnnotationMirror mirror, Optional<AnnotationValue> value) {}

  /** The site of an error on {@code name} (null: the annotation as a whole). */
  public Site site(String name) {
    if (name == null) {
      return new Site(mirror, Optional.empty());
    }
    Matcher nested = NESTED.matcher(name);
    if (!nested.matches()) {
      return new Site(mirror, Optional.ofNullable(explicit.get(name)));
    }
    AnnotationValue array = explicit.get(nested.group(1));
    if (array == null || !(array.getValue() instanceof List<?> items)) {
      return new Site(mirror, Optional.ofNullable(array));
    }
    int index = Integer.parseInt(nested.group(2));
    if (index >= items.size() || !(items.get(index) instanceof AnnotationValue item)
        || !(item.getValue() instanceof AnnotationMirror inner)) {
      return new Site(mirror, Optional.of(array));
    }
    return new Attributes(inner, elements).site(nested.group(3));
  }

  /** "value[1]" or "value[1].with". */
  private static final Pattern NESTED = Pattern.compile("(\\w+)\\[(\\d+)](?:\\.(.+))?");

  /** An array of nested annotations' attributes, in order. */
  public List<Attributes> annotations(String name) {
    Object value = raw(name);
    if (value instanceof List<?> items) {
      List<Attributes> nested = new java.util.ArrayList<>();
      for (Object item : items) {
        if (!(item instanceof AnnotationValue v) || !(v.getValue() instanceof AnnotationMirror m)) {
          throw new UnreadableValueException(name);
        }
        nested.add(new Attributes(m, elements));
      }
      return List.copyOf(nested);
    }
    throw new UnreadableValueException(name);
  }

  /** Whether a {@code @Let} set {@code name}, not the annotation. */
  public boolean isBound(String name) {
    return overrides.containsKey(name);
  }

  public boolean isSet(String name) {
    return explicit.containsKey(name);
  }

  public int integer(String name) {
    return number(name).intValue();
  }

  public long longInteger(String name) {
    return number(name).longValue();
  }

  public double real(String name) {
    return number(name).doubleValue();
  }

  public boolean bool(String name) {
    Object value = raw(name);
    if (value instanceof Boolean b) {
      return b;
    }
    throw new UnreadableValueException(name);
  }

  public String string(String name) {
    Object value = raw(name);
    if (value instanceof String s) {
      return s;
    }
    throw new UnreadableValueException(name);
  }

  /** A {@code String[]} value. */
  public List<String> strings(String name) {
    Object value = raw(name);
    if (value instanceof List<?> items) {
      List<String> strings = new java.util.ArrayList<>();
      for (Object item : items) {
        if (!(item instanceof AnnotationValue v) || !(v.getValue() instanceof String s)) {
          throw new UnreadableValueException(name);
        }
        strings.add(s);
      }
      return List.copyOf(strings);
    }
    throw new UnreadableValueException(name);
  }

  public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
    Object value = raw(name);
    if (value instanceof VariableElement constant) {
      try {
        return Enum.valueOf(type, constant.getSimpleName().toString());
      } catch (IllegalArgumentException e) {
        throw new UnreadableValueException(name);
      }
    }
    throw new UnreadableValueException(name);
  }

  /** A {@code Class<?>} value as the type it names; empty when it does not resolve. */
  public Optional<TypeElement> type(String name) {
    Object value = raw(name);
    if (value instanceof TypeMirror type
        && type.getKind() == TypeKind.DECLARED
        && ((DeclaredType) type).asElement() instanceof TypeElement element) {
      return Optional.of(element);
    }
    return Optional.empty();
  }

  /** A nested annotation's attributes. */
  public Attributes annotation(String name) {
    Object value = raw(name);
    if (value instanceof AnnotationMirror nested) {
      return new Attributes(nested, elements);
    }
    throw new UnreadableValueException(name);
  }

  /** The attribute names, in the annotation type's declaration order. */
  public List<String> names() {
    return List.copyOf(values.keySet());
  }

  private Number number(String name) {
    Integer override = overrides.get(name);
    if (override != null) {
      return override;
    }
    Object value = raw(name);
    if (value instanceof Number n) {
      return n;
    }
    throw new UnreadableValueException(name);
  }

  private Object raw(String name) {
    AnnotationValue value = values.get(name);
    if (value == null) {
      throw new UnreadableValueException(name);
    }
    try {
      return value.getValue();
    } catch (RuntimeException e) {
      throw new UnreadableValueException(name);
    }
  }
}
