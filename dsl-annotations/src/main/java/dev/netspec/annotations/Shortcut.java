package dev.netspec.annotations;

/** How a {@link BlockSpec} joins its input to its output, said explicitly. */
public enum Shortcut {
  /** No shortcut: the output of the last stage is the block's. */
  NONE,
  /** The input added to the output; input and output shapes must match (checked at every use). */
  ADD,
  /**
   * The input added to the output where their shapes match, nothing where they do not (a stride
   * or a change of channels): MobileNetV2's inverted residual.
   */
  ADD_WHEN_SHAPES_MATCH,
  /**
   * The input added to the output where their shapes match; where they do not, the input through
   * a 1×1 convolution at the block's stride and a BatchNorm ({@code downsample.0}, {@code
   * downsample.1}) is added instead: ResNet's.
   */
  ADD_OR_PROJECT,
  /** The output concatenated after the input along the channels: dense connectivity. */
  CONCAT
}
