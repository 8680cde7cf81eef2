package dev.netspec.runtime;

/**
 * What a stage of a generated network is: the stage annotation it was declared with. Readers of
 * {@link StageInfo} (diagrams, weight import) switch on it rather than on names.
 */
public enum StageKind {
  ACTIVATION("Activation"),
  BATCH_NORM("BatchNorm"),
  CLASSIFIER("Classifier"),
  CONV("Conv"),
  DENSE("Dense"),
  DENSE_BLOCK("DenseBlock"),
  DROPOUT("Dropout"),
  DUAL_PATH("DualPath"),
  FLATTEN("Flatten"),
  GLOBAL_POOL("GlobalPool"),
  LAYER_NORM("LayerNorm"),
  LAYER_SCALE("LayerScale"),
  NORMALIZE("Normalize"),
  POOL("Pool"),
  RESIDUAL("Residual"),
  SQUEEZE_EXCITE("SqueezeExcite"),
  STACK("Stack"),
  STOCHASTIC_DEPTH("StochasticDepth"),
  TRANSITION("Transition"),
  USE("Use");

  private final String label;

  StageKind(String label) {
    this.label = label;
  }

  /** The annotation's name without '@', as tables show it: "DualPath". */
  public String label() {
    return label;
  }
}
