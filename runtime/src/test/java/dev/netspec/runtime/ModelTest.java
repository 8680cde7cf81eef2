package dev.netspec.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class ModelTest {

  private static TFloat32 images(long... shape) {
    TFloat32 t = TFloat32.tensorOf(Shape.of(shape));
    long[] i = {0};
    t.scalars().forEach(s -> s.setFloat((float) Math.sin(i[0]++)));
    return t;
  }

  private static float[] values(TFloat32 t) {
    float[] a = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(a, false, false));
    return a;
  }

  @Test
  void createsPredictsAndCountsParameters() {
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L);
        TFloat32 in = images(2, 8, 8, 3);
        TFloat32 out = model.predict(in)) {
      assertEquals(Shape.of(2, 2), out.shape());
      assertEquals(TinyNet.PARAMETERS, model.parameterCount());
      assertEquals(TinyNet.PARAMETERS, model.network().variables().parameterCount());
      assertEquals(List.of("conv.conv.weight", "conv.bn.weight", "conv.bn.bias", "fc.weight",
          "fc.bias"), List.copyOf(model.network().trainableVariables().keySet()));
      assertEquals(7, model.variables().size());
      assertTrue(model.network().updateOps().isEmpty());
      assertEquals("[-1, 8, 8, 3]", model.images().shape().toString());
      assertEquals("[-1, 4, 4, 4]", model.network().conv().shape().toString());
      assertTrue(model.graph().operation("conv/conv/weight") != null);
    }
  }

  @Test
  void trainModeListsUpdateOps() {
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.TRAIN, 1L);
        TFloat32 in = images(2, 8, 8, 3);
        TFloat32 out = model.predict(in)) {
      assertEquals(2, model.network().updateOps().size());
      assertEquals(Shape.of(2, 2), out.shape());
    }
  }

  @Test
  void initializationDependsOnlyOnSeedAndName() {
    try (Model<TinyNet> a = Model.create(TinyNet.class, Mode.INFERENCE, 7L);
        Model<TinyNet> b = Model.create(TinyNet.class, Mode.TRAIN, 7L);
        Model<TinyNet> c = Model.create(TinyNet.class, Mode.INFERENCE, 8L)) {
      Map<String, TFloat32> va = a.readAll();
      Map<String, TFloat32> vb = b.readAll();
      Map<String, TFloat32> vc = c.readAll();
      try {
        assertEquals(va.keySet(), vb.keySet());
        for (String name : va.keySet()) {
          assertArrayEquals(values(va.get(name)), values(vb.get(name)), name);
        }
        assertFalse(java.util.Arrays.equals(values(va.get("conv.conv.weight")),
            values(vc.get("conv.conv.weight"))));
        assertArrayEquals(new float[] {1, 1, 1, 1}, values(va.get("conv.bn.running_var")));
        assertArrayEquals(new float[] {0, 0, 0, 0}, values(va.get("conv.bn.bias")));
        float bound = (float) (1 / Math.sqrt(4));
        for (float v : values(va.get("fc.weight"))) {
          assertTrue(Math.abs(v) <= bound, "uniform ±1/√in: " + v);
        }
      } finally {
        va.values().forEach(TFloat32::close);
        vb.values().forEach(TFloat32::close);
        vc.values().forEach(TFloat32::close);
      }
      try (TFloat32 in = images(1, 8, 8, 3); TFloat32 oa = a.predict(in);
          TFloat32 oc = c.predict(in)) {
        assertFalse(java.util.Arrays.equals(values(oa), values(oc)));
      }
    }
  }

  @Test
  void aFixedBatchTakesExactlyThatBatchAndSaysSo() {
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 1L,
            ModelOptions.defaults().withBatch(2).withSessionConfig(
                org.tensorflow.proto.ConfigProto.newBuilder().setInterOpParallelismThreads(1)
                    .build()));
        TFloat32 two = images(2, 8, 8, 3);
        TFloat32 out = model.predict(two)) {
      assertEquals(Shape.of(2, 2), out.shape());
      assertEquals(Shape.of(2, 8, 8, 3), model.images().shape());
      assertMessage(model, "batches of exactly 2 images", 3, 8, 8, 3);
    }
  }

  @Test
  void threadsAreBoundedByTheProcessors() {
    int most = 4 * Runtime.getRuntime().availableProcessors();
    assertEquals(most, ModelOptions.defaults().withThreads(most).threads());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelOptions.defaults().withThreads(100_000));
    assertTrue(e.getMessage().contains("at most " + most + " threads"), e.getMessage());
    assertTrue(e.getMessage().contains("got 100000"), e.getMessage());
  }

  @Test
  void memoryEfficientTrainingBuildsTheSameVariables() {
    try (Model<TinyNet> plain = Model.create(TinyNet.DESCRIPTOR, Mode.TRAIN, 1L);
        Model<TinyNet> efficient = Model.create(TinyNet.DESCRIPTOR, Mode.TRAIN, 1L,
            ModelOptions.defaults().withMemoryEfficient(true))) {
      assertEquals(names(plain), names(efficient));
      assertEquals(TinyNet.PARAMETERS, efficient.parameterCount());
    }
  }

  private static List<String> names(Model<?> model) {
    return model.variables().entries().stream().map(VariableStore.Entry::name).toList();
  }

  @Test
  void featuresAreTheNamedStagesOutputs() {
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 1L);
        TFloat32 in = images(2, 8, 8, 3)) {
      Map<String, TFloat32> features = model.features(in, "fc", "conv");
      try (TFloat32 fc = features.get("fc"); TFloat32 conv = features.get("conv");
          TFloat32 out = model.predict(in)) {
        assertEquals(List.of("fc", "conv"), List.copyOf(features.keySet()));
        assertEquals(Shape.of(2, 4, 4, 4), conv.shape());
        assertArrayEquals(values(out), values(fc));
      }
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.features(in, "pool"));
      assertTrue(e.getMessage().contains("no stage 'pool'; the stages are conv, fc"),
          e.getMessage());
    }
  }

  @Test
  void aModelBuiltWithoutADescriptorHasNoFeatures() {
    try (Model<TinyNet> model = Model.create(TinyNet::build, 3, 8, 8, Mode.INFERENCE, 1L);
        TFloat32 in = images(1, 8, 8, 3)) {
      assertTrue(model.descriptor().isEmpty());
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> model.features(in, "conv"));
      assertTrue(e.getMessage().contains("without a NetworkDescriptor"), e.getMessage());
    }
  }

  @Test
  void validatesImagesBeforeTensorFlowSeesThem() {
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      assertMessage(model, "rank 4", 8, 8, 3);
      assertMessage(model, "NCHW", 2, 3, 8, 8);
      assertMessage(model, "3 channels", 2, 8, 8, 1);
      assertMessage(model, "height 8", 2, 9, 8, 3);
      assertMessage(model, "width 8", 2, 8, 7, 3);
      assertMessage(model, "at least one image", 0, 8, 8, 3);
    }
  }

  private static void assertMessage(Model<?> model, String expected, long... shape) {
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(shape))) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> model.predict(in));
      assertTrue(e.getMessage().contains(expected), e.getMessage());
      assertTrue(e.getMessage().contains(Shape.of(shape).toString()), e.getMessage());
    }
  }

  @Test
  void dynamicSizesPredictAtAnySize() {
    try (Model<DynamicNet> model = Model.create(DynamicNet.class, Mode.INFERENCE, 3L)) {
      assertEquals("[-1, 5]", model.network().output().shape().toString());
      for (int side : new int[] {7, 12}) {
        try (TFloat32 in = images(2, side, side + 1, 1); TFloat32 out = model.predict(in)) {
          assertEquals(Shape.of(2, 5), out.shape());
        }
      }
      try (TFloat32 in = images(1, 7, 7, 2)) {
        assertThrows(IllegalArgumentException.class, () -> model.predict(in));
      }
    }
  }

  @Test
  void assignsAndReadsVariablesByName() {
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L);
        TFloat32 bias = TFloat32.tensorOf(Shape.of(2), DataBuffers.of(new float[] {3, -4}));
        TFloat32 wrong = TFloat32.tensorOf(Shape.of(3))) {
      model.assign(Map.of("fc.bias", bias));
      try (TFloat32 read = model.read("fc.bias")) {
        assertArrayEquals(new float[] {3, -4}, values(read));
      }
      model.assign("fc.bias", bias); // the assign op is reused
      IllegalArgumentException shape =
          assertThrows(IllegalArgumentException.class, () -> model.assign("fc.bias", wrong));
      assertTrue(shape.getMessage().contains("[2]") && shape.getMessage().contains("[3]"),
          shape.getMessage());
      IllegalArgumentException name =
          assertThrows(IllegalArgumentException.class, () -> model.read("fc.nope"));
      assertTrue(name.getMessage().contains("fc.nope"), name.getMessage());
    }
  }

  @Test
  void aClassIsCreatedThroughTheDescriptorItDeclares() {
    assertSame(TinyNet.DESCRIPTOR, NetworkDescriptor.of(TinyNet.class));
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      assertSame(TinyNet.DESCRIPTOR, model.descriptor().orElseThrow());
    }
  }

  @Test
  void rejectsClassesThatAreNotGeneratedNetworks() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Model.create(NotANetwork.class, Mode.INFERENCE, 1L));
    assertEquals(NotANetwork.class.getName() + " is not a generated network class: it declares "
        + "no public static NetworkDescriptor<NotANetwork> DESCRIPTOR; give a class generated "
        + "from a @Network spec", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> NetworkDescriptor.of(BorrowsADescriptor.class));
    assertTrue(e.getMessage().startsWith(BorrowsADescriptor.class.getName()
        + " is not a generated network class"), e.getMessage());
  }

  @Test
  void closedModelsRefuseWork() {
    Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L);
    model.close();
    model.close();
    try (TFloat32 in = images(1, 8, 8, 3)) {
      assertThrows(IllegalStateException.class, () -> model.predict(in));
    }
  }

  /** Declares another network's descriptor, which cannot build it. */
  static final class BorrowsADescriptor implements NetworkGraph {
    public static final NetworkDescriptor<TinyNet> DESCRIPTOR = TinyNet.DESCRIPTOR;

    @Override
    public org.tensorflow.Operand<TFloat32> output() {
      return null;
    }

    @Override
    public VariableStore variables() {
      return new VariableStore();
    }
  }

  /** Declares no descriptor. */
  static final class NotANetwork implements NetworkGraph {
    @Override
    public org.tensorflow.Operand<TFloat32> output() {
      return null;
    }

    @Override
    public VariableStore variables() {
      return new VariableStore();
    }
  }
}
