package dev.netspec.annotations;

/** The block a {@link Residual} stage repeats. */
public enum Block {
  /** Two 3×3 convolutions (ResNet-18/34); output channels = planes. */
  BASIC,
  /**
   * 1×1, 3×3 (carrying the stride, grouped for ResNeXt), 1×1 to {@code planes × 4}, as torchvision
   * builds it (ResNet-50 and deeper).
   */
  BOTTLENECK
}
