package dev.netspec.runtime.io.onnx;

/** The order of an exported model's image axes. */
public enum ImageLayout {
  /** {@code [batch, channels, height, width]}: what PyTorch, timm and torchvision users feed. */
  NCHW,
  /** {@code [batch, height, width, channels]}: what netspec and TensorFlow feed. */
  NHWC
}
