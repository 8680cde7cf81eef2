package dev.netspec.processor.read;

import dev.netspec.annotations.SelectiveKernel;
import dev.netspec.annotations.SplitAttention;
import dev.netspec.annotations.SqueezeExcite;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The annotations that modify every block of a stage, with the stage kinds each can modify. */
public enum ModifierKind {
  SQUEEZE_EXCITE(SqueezeExcite.class, StageKind.RESIDUAL, StageKind.DENSE_BLOCK, StageKind.DUAL_PATH),
  SELECTIVE_KERNEL(SelectiveKernel.class, StageKind.RESIDUAL),
  SPLIT_ATTENTION(SplitAttention.class, StageKind.RESIDUAL);

  private final Class<? extends Annotation> annotation;
  private final List<StageKind> stages;

  ModifierKind(Class<? extends Annotation> annotation, StageKind... stages) {
    this.annotation = annotation;
    this.stages = List.of(stages);
  }

  public String annotationName() {
    return annotation.getCanonicalName();
  }

  /** "SqueezeExcite": how model problems name the modifier. */
  public String simpleName() {
    return annotation.getSimpleName();
  }

  /** "@SqueezeExcite". */
  public String label() {
    return "@" + simpleName();
  }

  public boolean modifies(StageKind stage) {
    return stages.contains(stage);
  }

  /** "@Residual", "@Residual, @DenseBlock or @DualPath". */
  public String stagesLabel() {
    List<String> labels = stages.stream().map(StageKind::label).toList();
    if (labels.size() == 1) {
      return labels.get(0);
    }
    return String.join(", ", labels.subList(0, labels.size() - 1)) + " or " + labels.get(labels.size() - 1);
  }

  public static Optional<ModifierKind> forAnnotation(String qualifiedName) {
    return Arrays.stream(values()).filter(k -> k.annotationName().equals(qualifiedName)).findFirst();
  }
}
