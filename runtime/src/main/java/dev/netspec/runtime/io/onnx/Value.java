package dev.netspec.runtime.io.onnx;

/**
 * The ONNX value that stands for a TensorFlow tensor. {@code nchw}: the tensor is 4-D, NHWC in
 * TensorFlow, and held as NCHW here; otherwise the axes are TensorFlow's.
 */
record Value(String name, boolean nchw) {

  /** ONNX axis {@code i} of an NCHW value is TensorFlow's axis {@code TO_TF[i]}. */
  static final int[] TO_TF = {0, 3, 1, 2};

  /** TensorFlow's axis {@code j} of a 4-D tensor is axis {@code TO_ONNX[j]} of its NCHW value. */
  static final int[] TO_ONNX = {0, 2, 3, 1};

  /** The ONNX axis of TensorFlow's {@code axis} (negative counts from the end) in this value. */
  int axis(long axis, int rank) {
    int a = (int) (axis < 0 ? axis + rank : axis);
    return nchw ? TO_ONNX[a] : a;
  }
}
