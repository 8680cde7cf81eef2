package dev.netspec.runtime.layers;

import java.util.function.Supplier;

/**
 * Builds graphs whose convolutions are {@link ConvPath#DECLARED}: each one Conv2D op that states
 * the convolution as PyTorch declares it (explicit padding, dilations, groups), whatever path
 * {@link KernelCheck} would choose on this machine, and without verifying any kernel. Such a graph
 * is for reading (converting it to another format, such as ONNX), never for running its
 * convolutions: TensorFlow may compute them wrong or not at all here.
 *
 * <p>The choice holds for the graphs built on the calling thread while {@link #building} runs.
 */
public final class DeclaredConvolutions {
  private static final ThreadLocal<Boolean> ACTIVE = ThreadLocal.withInitial(() -> false);

  private DeclaredConvolutions() {}

  /** What {@code build} returns, with every convolution it builds on this thread declared. */
  public static <T> T building(Supplier<T> build) {
    boolean outer = ACTIVE.get();
    ACTIVE.set(true);
    try {
      return build.get();
    } finally {
      ACTIVE.set(outer);
    }
  }

  /** Whether convolutions built on this thread now are declared. */
  static boolean active() {
    return ACTIVE.get();
  }
}
