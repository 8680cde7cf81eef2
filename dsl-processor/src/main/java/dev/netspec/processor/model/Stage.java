package dev.netspec.processor.model;

import dev.netspec.processor.ir.Cost;
import dev.netspec.processor.ir.Graph;
import dev.netspec.processor.ir.ShapedGraph;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;
import java.util.Optional;

/**
 * One stage of a network with its settings resolved (defaults applied, the network's activation
 * and epsilon substituted): the rules its settings must follow, and its expansion into a graph of
 * primitives, from which its output shape, variables and cost follow.
 */
public sealed interface Stage
    permits ConvStage, PoolStage, BatchNormStage, ActivationStage, DropoutStage, ResidualStage,
        DenseBlockStage, TransitionStage, DualPathStage, UseStage, GlobalPoolStage, FlattenStage,
        DenseStage, ClassifierStage, NormalizeStage, BlockStage, LayerNormStage, LayerScaleStage,
        StochasticDepthStage, SqueezeExciteStage, BranchesStage {

  /** The annotation's name without '@': "Conv", "Residual". */
  String kind();

  /**
   * The kind with what sets this stage apart, for the shape tables: "DualPath res 256 + dense
   * 80". The kind alone by default.
   */
  default String description() {
    return kind();
  }

  /**
   * The rules this stage's settings break for this input; empty when it can be built. Every rule
   * whose attributes are valid is checked, so that independent problems are found together; a
   * rule that needs an attribute another rule rejected is skipped (its problem would vanish with
   * the fix of the first).
   */
  List<Problem> check(TensorShape in);

  /**
   * The rules this stage's own settings break whatever its input: what {@link #check} finds of
   * them for any input. Checked where the input is not known, because a stage before this one is
   * invalid.
   */
  List<Problem> checkSettings();

  /**
   * This stage as primitives, named as the runtime names their variables; only for an input
   * {@link #check} accepted.
   */
  Graph expand(TensorShape in);

  /** The expansion walked from {@code in}: shapes, variables and cost of every primitive. */
  default ShapedGraph at(TensorShape in) {
    return expand(in).at(in);
  }

  /** The output shape; only for an input {@link #check} accepted. */
  default TensorShape output(TensorShape in) {
    return at(in).output();
  }

  /** Parameters and MACs; only for an input {@link #check} accepted. */
  default Cost cost(TensorShape in) {
    return at(in).cost();
  }

  /**
   * This stage as it reads among the stages of its spec ({@code spec}, in order, itself
   * included), for a kind whose settings are relative to another stage's: a spec's stages are
   * made one at a time, and do not know their neighbours. Itself by default.
   */
  default Stage among(List<NamedStage> spec) {
    return this;
  }

  /**
   * Whether a network with this stage initializes its convolutions with fan-in (DenseNet's choice
   * in torchvision) rather than fan-out (ResNet's).
   */
  default boolean initializesFanIn() {
    return false;
  }

  /**
   * The attribute that sets this stage's downsampling ({@link StageModel#stride}), where the spec
   * can change it: "stride". Empty where the kind fixes it (a transition's pool) or another spec
   * sets it (a used spec's stages), and where the stage keeps the size.
   */
  default Optional<String> strideAttribute() {
    return Optional.empty();
  }

  /**
   * For a stage whose kind fixes its downsampling: the annotation that does the same at stride 1
   * for this input, such as "@Conv(channels = 512, kernel = 1, order = Order.NORM_ACT_CONV)" for
   * a transition. Empty where there is none, or where {@link #strideAttribute} changes it.
   */
  default Optional<String> unstrided(TensorShape in) {
    return Optional.empty();
  }
}
