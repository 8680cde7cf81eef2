package dev.netspec.processor.read;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Activation;
import dev.netspec.annotations.BatchNorm;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Branches;
import dev.netspec.annotations.Classifier;
import dev.netspec.annotations.Conv;
import dev.netspec.annotations.Dense;
import dev.netspec.annotations.DenseBlock;
import dev.netspec.annotations.Downsample;
import dev.netspec.annotations.Dropout;
import dev.netspec.annotations.DualPath;
import dev.netspec.annotations.Flatten;
import dev.netspec.annotations.GlobalPool;
import dev.netspec.annotations.LayerNorm;
import dev.netspec.annotations.LayerScale;
import dev.netspec.annotations.Norm;
import dev.netspec.annotations.Normalize;
import dev.netspec.annotations.Order;
import dev.netspec.annotations.Pool;
import dev.netspec.annotations.PoolKind;
import dev.netspec.annotations.Residual;
import dev.netspec.annotations.SqueezeExcite;
import dev.netspec.annotations.Stack;
import dev.netspec.annotations.StochasticDepth;
import dev.netspec.annotations.Transition;
import dev.netspec.annotations.Use;
import dev.netspec.processor.model.ActivationStage;
import dev.netspec.processor.model.AttentionConv;
import dev.netspec.processor.model.BatchNormStage;
import dev.netspec.processor.model.ClassifierStage;
import dev.netspec.processor.model.ConvStage;
import dev.netspec.processor.model.DenseBlockStage;
import dev.netspec.processor.model.DenseStage;
import dev.netspec.processor.model.DropoutStage;
import dev.netspec.processor.model.DualPathStage;
import dev.netspec.processor.model.FlattenStage;
import dev.netspec.processor.model.GlobalPoolStage;
import dev.netspec.processor.model.LayerNormStage;
import dev.netspec.processor.model.LayerScaleStage;
import dev.netspec.processor.model.NormalizeStage;
import dev.netspec.processor.model.PoolStage;
import dev.netspec.processor.model.ResidualStage;
import dev.netspec.processor.model.SelectiveKernel;
import dev.netspec.processor.model.SplitAttention;
import dev.netspec.processor.model.SqueezeExciteStage;
import dev.netspec.processor.model.SqueezeExciteUnit;
import dev.netspec.processor.model.Stage;
import dev.netspec.processor.model.StochasticDepthStage;
import dev.netspec.processor.model.TransitionStage;
import java.lang.annotation.Annotation;
import java.util.Arrays;
import java.util.Optional;

/**
 * The annotations that make a method a stage, and how each one's attributes become a model
 * {@link Stage}, resolving defaults (padding, pool stride, the network's activation and epsilon).
 * A new family is one constant here, its annotation, its {@code model} file and its place in
 * {@link Stage}'s permits. {@code @Use}, {@code @Stack} and {@code @Branches} read other
 * interfaces, so {@link StageFactory} reads them. {@code @SqueezeExcite} is a stage alone on a method and a modifier
 * ({@link ModifierKind}) beside another stage annotation.
 */
public enum StageKind {
  CONV(Conv.class, (d, n) -> conv(d.attributes(), n)),
  POOL(Pool.class, (d, n) -> {
    Attributes a = d.attributes();
    return new PoolStage(a.enumValue("kind", PoolKind.class), a.integer("kernel"),
        a.integer("stride") == -1 ? a.integer("kernel") : a.integer("stride"),
        a.integer("padding"), a.bool("ceil"));
  }),
  BATCH_NORM(BatchNorm.class, (d, n) -> {
    Attributes a = d.attributes();
    return new BatchNormStage(a.real("epsilon") == -1 ? n.epsilon() : a.real("epsilon"),
        a.real("momentum"), n.resolve(a.enumValue("act", Act.class)));
  }),
  ACTIVATION(Activation.class,
      (d, n) -> new ActivationStage(n.resolve(d.attributes().enumValue("value", Act.class)))),
  DROPOUT(Dropout.class, (d, n) -> new DropoutStage(d.attributes().real("rate"))),
  RESIDUAL(Residual.class, (d, n) -> {
    Attributes a = d.attributes();
    return new ResidualStage(a.integer("blocks"), a.integer("planes"),
        a.enumValue("block", Block.class), a.integer("stride"), a.integer("groups"),
        a.integer("baseWidth"), a.bool("preact"), a.real("dropout"),
        a.enumValue("downsample", Downsample.class), n.activation(), squeezeExcite(d),
        attentionConv(d));
  }),
  DENSE_BLOCK(DenseBlock.class, (d, n) -> {
    Attributes a = d.attributes();
    return new DenseBlockStage(a.integer("growth"), a.integer("layers"), a.integer("bottleneck"),
        a.real("dropout"), a.enumValue("order", Order.class), n.activation(), squeezeExcite(d));
  }),
  TRANSITION(Transition.class, (d, n) -> {
    Attributes a = d.attributes();
    return new TransitionStage(a.real("compression"), a.integer("channels"),
        a.enumValue("pool", PoolKind.class), a.bool("ceil"), a.real("dropout"),
        a.enumValue("order", Order.class), n.activation());
  }),
  DUAL_PATH(DualPath.class, (d, n) -> {
    Attributes a = d.attributes();
    return new DualPathStage(a.integer("blocks"), a.integer("width"), a.integer("inc"),
        a.integer("kR"), a.integer("G"), a.integer("stride"), squeezeExcite(d), n.activation());
  }),
  USE(Use.class, null),
  GLOBAL_POOL(GlobalPool.class,
      (d, n) -> new GlobalPoolStage(d.attributes().enumValue("value", PoolKind.class))),
  FLATTEN(Flatten.class, (d, n) -> new FlattenStage()),
  DENSE(Dense.class, (d, n) -> {
    Attributes a = d.attributes();
    return new DenseStage(a.integer("units"), a.bool("bias"),
        n.resolve(a.enumValue("act", Act.class)));
  }),
  CLASSIFIER(Classifier.class, (d, n) -> {
    Attributes a = d.attributes();
    return new ClassifierStage(a.integer("classes"), a.enumValue("pool", PoolKind.class),
        a.real("dropout"));
  }),
  NORMALIZE(Normalize.class, (d, n) -> new NormalizeStage()),
  STACK(Stack.class, null),
  LAYER_NORM(LayerNorm.class, (d, n) -> new LayerNormStage(d.attributes().real("epsilon"))),
  LAYER_SCALE(LayerScale.class, (d, n) -> new LayerScaleStage(d.attributes().real("init"))),
  STOCHASTIC_DEPTH(StochasticDepth.class,
      (d, n) -> new StochasticDepthStage(d.attributes().real("rate"))),
  SQUEEZE_EXCITE(SqueezeExcite.class, (d, n) -> {
    Attributes a = d.attributes();
    return new SqueezeExciteStage(a.integer("channels"), a.isBound("channels"),
        a.integer("reduction"), a.integer("minChannels"), n.resolve(a.enumValue("act", Act.class)),
        a.enumValue("gate", Act.class));
  }),
  BRANCHES(Branches.class, null);

  /** Reads one stage method's annotation, with the network's defaults. */
  @FunctionalInterface
  interface Reader {
    Stage read(StageDecl decl, NetworkDefaults defaults);
  }

  private final Class<? extends Annotation> annotation;
  private final Reader reader;

  StageKind(Class<? extends Annotation> annotation, Reader reader) {
    this.annotation = annotation;
    this.reader = reader;
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

  /** The stage {@code decl} declares; not for {@code @Use}, {@code @Stack} and {@code @Branches}. */
  Stage read(StageDecl decl, NetworkDefaults defaults) {
    if (reader == null) {
      throw new IllegalStateException(label() + " names another interface: StageFactory reads it");
    }
    return reader.read(decl, defaults);
  }

  public static Optional<StageKind> forAnnotation(String qualifiedName) {
    return Arrays.stream(values()).filter(k -> k.annotationName().equals(qualifiedName)).findFirst();
  }

  /** The {@code @SqueezeExcite} beside the stage annotation, if any. */
  private static Optional<SqueezeExciteUnit> squeezeExcite(StageDecl decl) {
    return decl.modifier(ModifierKind.SQUEEZE_EXCITE).map(StageDecl.ModifierDecl::attributes)
        .map(m -> new SqueezeExciteUnit(m.integer("reduction"), m.integer("minChannels")));
  }

  /**
   * The selective kernel or split attention replacing the 3×3. Both are an error (reported by
   * {@link StageFactory}); then neither is checked, since the fix removes one or the other.
   */
  private static Optional<AttentionConv> attentionConv(StageDecl decl) {
    if (decl.modifier(ModifierKind.SELECTIVE_KERNEL).isPresent()
        && decl.modifier(ModifierKind.SPLIT_ATTENTION).isPresent()) {
      return Optional.empty();
    }
    Optional<AttentionConv> selective = decl.modifier(ModifierKind.SELECTIVE_KERNEL)
        .map(StageDecl.ModifierDecl::attributes)
        .map(m -> new SelectiveKernel(m.integer("branches"), m.integer("groups"),
            m.integer("reduction"), m.integer("minDim")));
    if (selective.isPresent()) {
      return selective;
    }
    return decl.modifier(ModifierKind.SPLIT_ATTENTION).map(StageDecl.ModifierDecl::attributes)
        .map(m -> new SplitAttention(m.integer("radix"), m.integer("cardinality"),
            m.integer("reduction")));
  }

  private static ConvStage conv(Attributes a, NetworkDefaults defaults) {
    int kernel = a.integer("kernel");
    int dilation = a.integer("dilation");
    // PyTorch's default for an even kernel, which no symmetric padding keeps at size
    int byDefault = kernel % 2 == 0 ? 0 : dilation * (kernel / 2);
    int padding = a.integer("padding") == -1 ? byDefault : a.integer("padding");
    return new ConvStage(a.integer("channels"), kernel, a.integer("stride"), padding, dilation,
        a.integer("groups"), a.bool("bias"), a.enumValue("norm", Norm.class),
        defaults.resolve(a.enumValue("act", Act.class)), a.enumValue("order", Order.class),
        a.bool("depthwise"));
  }
}
