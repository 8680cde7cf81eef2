package dev.netspec.annotations;

/** How a residual block's shortcut is projected when its shape changes. */
public enum Downsample {
  /** A strided 1×1 convolution followed by BatchNorm (torchvision's ResNet). */
  CONV,
  /**
   * A 2×2 average pool in ceil mode carrying the stride, then a 1×1 convolution and BatchNorm
   * (ResNet-D, Bag of Tricks; timm's {@code avg_down}).
   */
  AVG_CONV
}
