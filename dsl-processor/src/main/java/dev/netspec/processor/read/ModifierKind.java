package dev.netspec.processor.read;

import dev.netspec.annotations.SelectiveKernel;
import dev.netspec.annotations.SplitAttention;
import dev.netspec.annotations.SqueezeExcite;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.Optional;

/** The annotations that modify every block of a stage. */
public enum ModifierKind {
  SQUEEZE_EXCITE(SqueezeExcite.class),
  SELECTIVE_KERNEL(SelectiveKernel.class),
  SPLIT_ATTENTION(SplitAttention.class);

  private final Class<? extends Annotation> annotation;

  ModifierKind(Class<? extends Annotation> annotation) {
    this.annotation = annotation;
  }

  public String annotationName() {
    return annotation.getCanonicalName();
  }

  public String label() {
    return "@" + annotation.getSimpleName();
  }

  public static Optional<ModifierKind> forAnnotation(String qualifiedName) {
    return Arrays.stream(values()).filter(k -> k.annotationName().equals(qualifiedName)).findFirst();
  }
}
