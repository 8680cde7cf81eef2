package dev.netspec.runtime.io.onnx;

import java.util.Objects;

/**
 * How {@link OnnxExport} writes a network.
 *
 * @param layout the axes of the input, and of the output where it is a feature map
 * @param foldBatchNorm whether a BatchNorm right after a convolution is folded into that
 *     convolution's weights and bias (exact up to float rounding, and what inference engines do
 *     anyway); BatchNorms elsewhere (pre-activation units, after a concatenation) stay {@code
 *     BatchNormalization} nodes
 * @param height the image height the model takes, or 0 for the network's own fixed height
 * @param width the image width the model takes, or 0 for the network's own fixed width
 */
public record OnnxOptions(ImageLayout layout, boolean foldBatchNorm, int height, int width) {

  public OnnxOptions {
    Objects.requireNonNull(layout, "layout");
    if (height < 0 || width < 0) {
      throw new IllegalArgumentException("image size " + height + "x" + width
          + ": give positive sides, or 0 for the network's own");
    }
  }

  /** NCHW input, BatchNorm folded into the convolutions, the network's own image size. */
  public static OnnxOptions defaults() {
    return new OnnxOptions(ImageLayout.NCHW, true, 0, 0);
  }

  public OnnxOptions withLayout(ImageLayout layout) {
    return new OnnxOptions(layout, foldBatchNorm, height, width);
  }

  public OnnxOptions withFoldBatchNorm(boolean fold) {
    return new OnnxOptions(layout, fold, height, width);
  }

  /** The image size of the model: needed for networks that take any size. */
  public OnnxOptions withSize(int height, int width) {
    return new OnnxOptions(layout, foldBatchNorm, height, width);
  }
}
