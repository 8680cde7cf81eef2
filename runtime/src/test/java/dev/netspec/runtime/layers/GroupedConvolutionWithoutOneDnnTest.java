package dev.netspec.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A process whose TensorFlow runs without oneDNN, as on a CPU without AVX512_VNNI, AVX512_BF16,
 * AVX_VNNI or AMX: the build runs this class in its own JVM with {@code TF_ENABLE_ONEDNN_OPTS=0}
 * (surefire execution {@code without-onednn}). Grouped convolutions must take the split path and
 * train.
 */
class GroupedConvolutionWithoutOneDnnTest {

  @BeforeAll
  static void onlyWithoutOneDnn() {
    assumeTrue("0".equals(System.getenv("TF_ENABLE_ONEDNN_OPTS")),
        "runs in the JVM that the build starts with TF_ENABLE_ONEDNN_OPTS=0");
  }

  private static Model<Nets.Net> groupedNet() {
    return Nets.model(8, 6, 6, Mode.TRAIN, (layers, x) -> {
      Operand<TFloat32> y =
          FamilyUnits.convBnAct(layers.in("grouped"), x, 8, 3, 1, 1, 4, Nonlinearity.RELU);
      return FamilyUnits.convBnAct(layers.in("down"), y, 8, 3, 2, 1, 2, Nonlinearity.RELU);
    });
  }

  /** Gradients of every trainable variable of a small grouped network, for one batch. */
  private static float[][] trainingStep(Model<Nets.Net> model) {
    float[] x = Nets.gaussian(2 * 6 * 6 * 8, 4);
    float[] r = Nets.gaussian(2 * 3 * 3 * 8, 5);
    List<Operand<TFloat32>> variables = List.copyOf(model.network().trainableVariables().values());
    return Nets.gradients(model, r, variables, x, 2, 6, 6, 8);
  }

  @Test
  void groupedConvolutionsTakeTheSplitPath() {
    KernelCheck check = KernelCheck.process();
    assertFalse(KernelCheck.groupedKernelsTrain());
    ConvSpec spec = new ConvSpec(8, 8, 4, 3, 1, 1, 1);
    // the split first, for speed, also where the native forward pass would be right
    assertEquals(ConvPath.SPLIT, check.path(spec, false, false));
    assertEquals(ConvPath.SPLIT, check.path(spec, true, false));
  }

  @Test
  void groupedConvolutionsTrain() {
    try (Model<Nets.Net> model = groupedNet()) {
      float[][] gradients = trainingStep(model);
      assertEquals(model.network().trainableVariables().size(), gradients.length);
      for (float[] g : gradients) {
        boolean moves = false;
        for (float v : g) {
          assertTrue(Float.isFinite(v));
          moves |= v != 0;
        }
        assertTrue(moves, "every variable gets a gradient");
      }
    }
  }

  /** Why the fallback exists: pinned native, the gradient fails, and the build says so. */
  @Test
  void thePinnedNativePathCannotTrainHere() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> GroupedConvPaths.with("native", GroupedConvolutionWithoutOneDnnTest::groupedNet));
    assertTrue(e.getMessage().startsWith("no way of building convolution 8→8, 3x3, 4 groups,"
        + " stride 1, padding 1 gives the right output and gradients here: native: fails ("),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("-Dnetspec.groupedConv pins this path: use auto"),
        e.getMessage());
  }
}
