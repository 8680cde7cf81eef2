package dev.netspec.processor.read;

import dev.netspec.annotations.Activation;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Branches;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Dense;
import dev.netspec.annotations.DenseBlock;
import dev.netspec.annotations.Dropout;
import dev.netspec.annotations.DualPath;
import dev.netspec.annotations.Flatten;
import dev.netspec.annotations.GlobalPool;
import dev.netspec.annotations.LayerNorm;
import dev.netspec.annotations.LayerScale;
import dev.netspec.annotations.Normalize;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.SqueezeExcite;
import dev.netspec.annotations.Residual;
import dev.netspec.annotations.Stack;
import dev.netspec.annotations.StochasticDepth;
import dev.netspec.annotations.Transition;
import dev.netspec.annotations.Use;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.Optional;

/**
 * The annotations that make a method a stage. {@code @SqueezeExcite} is a stage alone on a
 * method and a modifier ({@link ModifierKind}) beside another stage annotation.
 */
public enum StageKind {
  CONV(Conv.class),
  POOL(Pool.class),
  BATCH_NORM(BatchNorm.class),
  ACTIVATION(Activation.class),
  DROPOUT(Dropout.class),
  RESIDUAL(Residual.class),
  DENSE_BLOCK(DenseBlock.class),
  TRANSITION(Transition.class),
  DUAL_PATH(DualPath.class),
  USE(Use.class),
  GLOBAL_POOL(GlobalPool.class),
  FLATTEN(Flatten.class),
  DENSE(Dense.class),
  CLASSIFIER(Classifier.class),
  NORMALIZE(Normalize.class),
  STACK(Stack.class),
  LAYER_NORM(LayerNorm.class),
  LAYER_SCALE(LayerScale.class),
  STOCHASTIC_DEPTH(StochasticDepth.class),
  SQUEEZE_EXCITE(SqueezeExcite.class),
  BRANCHES(Branches.class);

  private final Class<? extends Annotation> annotation;

  StageKind(Class<? extends Annotation> annotation) {
    this.annotation = annotation;
  }

  public String annotationName() {
    return annotation.getCanonicalName();
  }

  /** "@Conv". */
  public String label() {
    return "@" + annotation.getSimpleName();
  }

  /** Whether this annotation beside another stage annotation modifies that stage instead. */
  public boolean alsoModifier() {
    return ModifierKind.forAnnotation(annotationName()).isPresent();
  }

  public static Optional<StageKind> forAnnotation(String qualifiedName) {
    return Arrays.stream(values()).filter(k -> k.annotationName().equals(qualifiedName)).findFirst();
  }
}
