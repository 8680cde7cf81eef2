package dev.netspec.runtime.io.onnx;

import java.util.Arrays;

/**
 * A tensor whose value does not depend on the network's input, read from the TensorFlow graph:
 * float32 values (weights, masks) or integers (axes, shapes, paddings), row-major.
 */
record Constant(long[] shape, float[] floats, long[] ints) {

  Constant {
    long size = 1;
    for (long d : shape) {
      size *= d;
    }
    long length = floats != null ? floats.length : ints.length;
    if (length != size) {
      throw new IllegalArgumentException("a constant of shape " + Arrays.toString(shape)
          + " holds " + length + " values");
    }
  }

  static Constant ofFloats(long[] shape, float[] values) {
    return new Constant(shape.clone(), values, null);
  }

  static Constant ofInts(long[] shape, long[] values) {
    return new Constant(shape.clone(), null, values);
  }

  boolean isFloat() {
    return floats != null;
  }

  /** The number of values. */
  int size() {
    return floats != null ? floats.length : ints.length;
  }

  int rank() {
    return shape.length;
  }

  /** The values as integers (axes, sizes, paddings). */
  long[] asInts() {
    if (ints == null) {
      throw new IllegalStateException("a float constant where integers were expected");
    }
    return ints;
  }

  /** The one value of a float constant of any shape with one element. */
  float scalar() {
    if (floats == null || floats.length != 1) {
      throw new IllegalStateException("not a float scalar: " + Arrays.toString(shape));
    }
    return floats[0];
  }

  /** The same values with leading axes of size 1 added up to {@code rank}: how they broadcast. */
  Constant withRank(int rank) {
    if (rank < shape.length) {
      throw new IllegalArgumentException("cannot lower the rank of " + Arrays.toString(shape));
    }
    long[] wider = new long[rank];
    Arrays.fill(wider, 1);
    System.arraycopy(shape, 0, wider, rank - shape.length, shape.length);
    return new Constant(wider, floats, ints);
  }

  /** The axes permuted: axis {@code i} of the result is axis {@code perm[i]} of this. */
  Constant transpose(int[] perm) {
    int rank = shape.length;
    long[] out = new long[rank];
    for (int i = 0; i < rank; i++) {
      out[i] = shape[perm[i]];
    }
    long[] inStrides = strides(shape);
    long[] outStrides = strides(out);
    int size = size();
    float[] f = floats != null ? new float[size] : null;
    long[] n = ints != null ? new long[size] : null;
    for (int index = 0; index < size; index++) {
      long rest = index;
      long source = 0;
      for (int i = 0; i < rank; i++) {
        long coordinate = rest / outStrides[i];
        rest %= outStrides[i];
        source += coordinate * inStrides[perm[i]];
      }
      if (f != null) {
        f[index] = floats[(int) source];
      } else {
        n[index] = ints[(int) source];
      }
    }
    return new Constant(out, f, n);
  }

  private static long[] strides(long[] shape) {
    long[] strides = new long[shape.length];
    long stride = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      strides[i] = stride;
      stride *= shape[i];
    }
    return strides;
  }
}
