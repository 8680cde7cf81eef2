package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The check against kernels that are wrong: a path whose output or gradient is off, or that
 * fails, is passed over for the next right one, once per configuration, and said so; a pinned
 * path that is wrong stops the build. The broken kernels are simulated, so that this holds on
 * every CPU.
 */
class KernelCheckTest {
  private static final ConvSpec GROUPED = new ConvSpec(6, 3, 3, 1, 1, 0, 1);
  private static final ConvSpec DEPTHWISE = new ConvSpec(4, 4, 4, 3, 2, 1, 1);

  /** The real paths, except that {@code broken} is made wrong by {@code breaking}. */
  private static KernelCheck.Builder breaking(ConvPath broken, Breakage breaking,
      AtomicInteger builds) {
    return (tf, x, filter, spec, path, repad) -> {
      builds.incrementAndGet();
      Operand<TFloat32> y = new Convolution(tf).build(x, filter, spec, path, repad);
      return path == broken ? breaking.apply(tf, y) : y;
    };
  }

  private interface Breakage {
    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> y);
  }

  /** An output 5% too large: what a kernel that drops a term looks like. */
  private static Operand<TFloat32> offOutput(Ops tf, Operand<TFloat32> y) {
    return tf.math.mul(y, tf.constant(1.05f));
  }

  /** The right output with an input gradient half as large, as oneDNN's strided depthwise one. */
  private static Operand<TFloat32> offGradient(Ops tf, Operand<TFloat32> y) {
    return GradientRoute.route(tf, "half_gradient", y, List.of(y), (ops, result, inputs, dy) ->
        List.of(ops.math.mul(GradientRoute.floats(dy), ops.constant(0.5f))));
  }

  /** Where grouped kernels do not train at all, grouped convolutions try the split first. */
  private static void nativeComesFirst() {
    assumeTrue(KernelCheck.groupedKernelsTrain(), "grouped convolutions try the split first here");
  }

  @Test
  void aWrongOutputFallsBackToTheNextRightPath() {
    nativeComesFirst();
    AtomicInteger builds = new AtomicInteger();
    KernelCheck check = new KernelCheck(breaking(ConvPath.NATIVE, KernelCheckTest::offOutput,
        builds));
    assertEquals(ConvPath.SPLIT, check.path(GROUPED, false, false));
    KernelCheck.Verdict verdict = check.verdicts().get(0);
    assertTrue(verdict.fellBack());
    assertEquals("convolution 6→3, 1x1, 3 groups, stride 1, padding 0 (forward): split, because"
        + " native: output off by 0.050 of its largest value", verdict.describe());
    assertTrue(check.describe().contains("1 fell back: convolution 6→3"), check.describe());
  }

  @Test
  void aWrongGradientFallsBackOnlyForTraining() {
    nativeComesFirst();
    AtomicInteger builds = new AtomicInteger();
    KernelCheck check = new KernelCheck(breaking(ConvPath.NATIVE, KernelCheckTest::offGradient,
        builds));
    assertEquals(ConvPath.NATIVE, check.path(DEPTHWISE, false, false));
    assertEquals(ConvPath.SPLIT, check.path(DEPTHWISE, true, false));
    assertTrue(check.verdicts().get(0).describe().endsWith("(forward and gradients): split,"
        + " because native: input gradient off by 0.50 of its largest value"),
        check.verdicts().get(0).describe());
  }

  /** Once training passed the native path over, inference takes the same path: same numbers. */
  @Test
  void inferenceFollowsTraining() {
    nativeComesFirst();
    KernelCheck check = new KernelCheck(breaking(ConvPath.NATIVE, KernelCheckTest::offGradient,
        new AtomicInteger()));
    assertEquals(ConvPath.SPLIT, check.path(DEPTHWISE, true, false));
    assertEquals(ConvPath.SPLIT, check.path(DEPTHWISE, false, false));
    assertEquals(1, check.verdicts().size());
  }

  @Test
  void everyWrongPathIsPassedOver() {
    KernelCheck check = new KernelCheck((tf, x, filter, spec, path, repad) -> {
      Operand<TFloat32> y = new Convolution(tf).build(x, filter, spec, path, repad);
      return path == ConvPath.TAPS ? y : offOutput(tf, y);
    });
    assertEquals(ConvPath.TAPS, check.path(DEPTHWISE, true, false));
    assertEquals(4, check.verdicts().get(0).rejected().size(), "native, split, unstrided, both");
  }

  @Test
  void aFailingKernelIsPassedOverWithItsError() {
    nativeComesFirst();
    KernelCheck check = new KernelCheck((tf, x, filter, spec, path, repad) -> {
      Operand<TFloat32> y = new Convolution(tf).build(x, filter, spec, path, repad);
      // a run-time failure, as a missing kernel gives
      return path == ConvPath.NATIVE
          ? tf.withControlDependencies(List.of(tf.assertThat(tf.constant(false),
              List.of(tf.constant("no kernel")))) ).identity(y)
          : y;
    });
    assertEquals(ConvPath.SPLIT, check.path(GROUPED, true, false));
    assertTrue(check.verdicts().get(0).rejected().get(0)
        .startsWith("native: fails (TFInvalidArgumentException: "),
        check.verdicts().get(0).rejected().get(0));
  }

  @Test
  void eachConfigurationIsCheckedOnce() {
    AtomicInteger builds = new AtomicInteger();
    KernelCheck check = new KernelCheck(breaking(ConvPath.NATIVE, (tf, y) -> y, builds));
    ConvSpec plain = new ConvSpec(3, 4, 1, 3, 1, 1, 1);
    for (int i = 0; i < 3; i++) {
      assertEquals(ConvPath.NATIVE, check.path(plain, true, false));
    }
    assertEquals(1, builds.get());
    assertEquals(1, check.verdicts().size());
    assertTrue(check.describe().startsWith("1 convolution configurations: 1 verified against the"
        + " reference in "), check.describe());
    assertTrue(check.describe().endsWith(" ms; every kernel is right"), check.describe());
  }

  /** The check runs on the device the network's ops ask for. */
  @Test
  void theCheckAsksForTheNetworksDevice() {
    try (org.tensorflow.Graph graph = new org.tensorflow.Graph()) {
      Ops tf = Ops.create(graph);
      assertEquals("", KernelCheck.onDevice(tf, "").scope().getDeviceString());
      assertTrue(KernelCheck.onDevice(tf, "/device:GPU:1").scope().getDeviceString()
          .endsWith("/device:GPU:1"));
      assertTrue(KernelCheck.onDevice(tf, "/device:CPU:*").scope().getDeviceString()
          .contains("CPU"));
    }
  }

  @Test
  void aPinnedWrongPathStopsTheBuild() {
    nativeComesFirst();
    KernelCheck check = new KernelCheck(breaking(ConvPath.NATIVE, KernelCheckTest::offOutput,
        new AtomicInteger()));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GroupedConvPaths.with("native", () -> check.path(GROUPED, false, false)));
    assertEquals("no way of building convolution 6→3, 1x1, 3 groups, stride 1, padding 0 gives"
        + " the right output here: native: output off by 0.050 of its largest value;"
        + " -Dnetspec.groupedConv pins this path: use auto", e.getMessage());
    // the same configuration is free to fall back once nothing is pinned
    assertEquals(ConvPath.SPLIT, check.path(GROUPED, false, false));
  }
}
