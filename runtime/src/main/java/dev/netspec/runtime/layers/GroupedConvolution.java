package dev.netspec.runtime.layers;

import java.util.Locale;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Grouped convolutions (PyTorch's {@code groups}: filter {@code [k, k, in/groups, out]}, output
 * channel {@code o} seeing only the input channels of group {@code o / (out/groups)}) and the
 * system property {@value #PROPERTY} that pins the path they are built on.
 *
 * <p>TensorFlow's CPU kernels run a grouped Conv2D ({@link ConvPath#NATIVE}) forward and backward
 * only through oneDNN, and on some CPUs oneDNN gets some shapes wrong; the split into one Conv2D
 * per group ({@link ConvPath#SPLIT}) runs everywhere, slower. With {@code auto} (the default),
 * {@link KernelCheck} verifies each configuration's native path and falls back when it is wrong
 * or fails. {@code native} or {@code split} pins every grouped convolution to that path; the
 * pinned path is still verified, and a wrong one stops the build. The property is read for every
 * convolution built.
 */
public final class GroupedConvolution {

  /** The system property that pins the path: {@code auto}, {@code native} or {@code split}. */
  public static final String PROPERTY = "netspec.groupedConv";

  private GroupedConvolution() {}

  /** The path {@value #PROPERTY} pins grouped convolutions to; empty for {@code auto}. */
  public static Optional<ConvPath> pinned() {
    String chosen = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    switch (chosen) {
      case "native":
        return Optional.of(ConvPath.NATIVE);
      case "split":
        return Optional.of(ConvPath.SPLIT);
      case "auto":
      case "":
        return Optional.empty();
      default:
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + chosen
            + " is not a grouped-convolution path; use auto, native or split");
    }
  }

  /** One line on how grouped convolutions are chosen, for logs and benchmarks. */
  public static String describe() {
    return pinned().map(p -> p.name().toLowerCase(Locale.ROOT) + " (pinned by -D" + PROPERTY
        + "=" + System.getProperty(PROPERTY).trim() + ", verified per configuration)")
        .orElse("auto (each configuration's native path verified, falling back when wrong)");
  }

  /**
   * A VALID convolution of {@code x} {@code [N, H, W, in]} with {@code filter} {@code [k, k,
   * in/groups, out]} built on {@code path} ({@link ConvPath#NATIVE} or {@link ConvPath#SPLIT}),
   * unverified: for benchmarks that compare the two.
   */
  public static Operand<TFloat32> apply(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> filter, int groups, int stride,
      ConvPath path) {
    return new Convolution(tf).op(x, filter, groups, stride, "VALID", path.splits());
  }
}
