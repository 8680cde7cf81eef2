package dev.netspec.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.io.InitReport;
import dev.netspec.runtime.io.NameRules;
import dev.netspec.runtime.io.PretrainedWeights;
import dev.netspec.runtime.io.SafeTensors;
import dev.netspec.runtime.io.WeightImportException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Fine-tuning's parts on a tiny network: pretrained weights loaded with the classifier replaced
 * when the classes differ, frozen stages left alone by training steps (weights and BatchNorm
 * statistics), the pretrained part's learning rate scaled, and bad input refused clearly.
 */
class FineTuningTest {
  private static final List<String> HEAD = List.of("fc.weight", "fc.bias");

  @TempDir Path temp;

  @Test
  void aCheckpointForAnotherClassCountLoadsAllButTheClassifier() throws IOException {
    Path file = checkpoint(ShapesNet.DESCRIPTOR, 1);
    try (Model<ShapesNet> source = Model.create(ShapesNet.DESCRIPTOR, Mode.INFERENCE, 1);
        Model<ShapesNet> target = Model.create(ShapesNet.withClasses(4), Mode.INFERENCE, 2)) {
      float[] initialHead = values(target, "fc.weight");
      InitReport report = PretrainedWeights.of(file, NameRules.identity()).loadInto(target);

      assertEquals(PretrainedWeights.Format.CHECKPOINT, report.format());
      InitReport.HeadReplacement head = report.head().orElseThrow();
      assertEquals(10, head.sourceClasses());
      assertEquals(4, head.classes());
      assertEquals(Set.copyOf(HEAD), report.freshVariables());
      assertEquals("classifier 'fc' replaced and reinitialized: the weights predict 10 classes, "
          + "the network 4", head.describe());
      assertEquals(target.variables().size() - 2, report.loaded());
      for (String name : List.of("conv1.conv.weight", "conv3.bn.running_var", "conv2.bn.bias")) {
        assertArrayEquals(values(source, name), values(target, name), name);
      }
      assertArrayEquals(initialHead, values(target, "fc.weight"));
    }
  }

  @Test
  void aPyTorchStateDictLoadsInPyTorchsLayoutAndKeepsAClassifierOfTheSameClasses()
      throws IOException {
    Path file = temp.resolve("state_dict.safetensors");
    try (Model<ShapesNet> source = Model.create(ShapesNet.DESCRIPTOR, Mode.INFERENCE, 1)) {
      writeStateDict(source, file);
    }
    try (Model<ShapesNet> source = Model.create(ShapesNet.DESCRIPTOR, Mode.INFERENCE, 1);
        Model<ShapesNet> same = Model.create(ShapesNet.DESCRIPTOR, Mode.INFERENCE, 2);
        Model<ShapesNet> fewer = Model.create(ShapesNet.withClasses(3), Mode.INFERENCE, 2)) {
      InitReport kept = PretrainedWeights.of(file, NameRules.identity()).loadInto(same);
      assertEquals(PretrainedWeights.Format.STATE_DICT, kept.format());
      assertTrue(kept.head().isEmpty());
      assertArrayEquals(values(source, "fc.weight"), values(same, "fc.weight"));
      assertArrayEquals(values(source, "conv2.conv.weight"), values(same, "conv2.conv.weight"));

      InitReport replaced = PretrainedWeights.of(file, NameRules.identity()).loadInto(fewer);
      assertEquals(3, replaced.head().orElseThrow().classes());
      assertArrayEquals(values(source, "conv3.conv.weight"),
          values(fewer, "conv3.conv.weight"));
    }
  }

  @Test
  void weightsOfAnotherArchitectureAreRefusedNamingEachVariableWithBothShapes()
      throws IOException {
    Path file = checkpoint(WiderNet.DESCRIPTOR, 1);
    try (Model<ShapesNet> target = Model.create(ShapesNet.DESCRIPTOR, Mode.INFERENCE, 2)) {
      float[] before = values(target, "conv1.conv.weight");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PretrainedWeights.of(file, NameRules.identity()).loadInto(target));
      assertTrue(e.getMessage().contains("conv1.conv.weight: checkpoint [3, 3, 3, "),
          e.getMessage());
      assertTrue(e.getMessage().contains("network [3, 3, 3, 16]"), e.getMessage());
      assertTrue(e.getMessage().contains("start from weights of the same architecture"),
          e.getMessage());
      assertArrayEquals(before, values(target, "conv1.conv.weight"));
    }
    Path stateDict = temp.resolve("wider.safetensors");
    try (Model<WiderNet> wider = Model.create(WiderNet.DESCRIPTOR, Mode.INFERENCE, 1)) {
      writeStateDict(wider, stateDict);
    }
    try (Model<ShapesNet> target = Model.create(ShapesNet.DESCRIPTOR, Mode.INFERENCE, 2)) {
      WeightImportException e = assertThrows(WeightImportException.class,
          () -> PretrainedWeights.of(stateDict, NameRules.identity()).loadInto(target));
      assertTrue(e.getMessage().startsWith("cannot start ShapesNet from the state dict"),
          e.getMessage());
      assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("'conv1.conv.weight' has "
          + "PyTorch shape [") && p.contains("needs [3, 3, 3, 16]")), e.problems().toString());
    }
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> PretrainedWeights.of(temp.resolve("missing.safetensors"), NameRules.identity()));
    assertTrue(none.getMessage().startsWith("no pretrained weights at "), none.getMessage());
  }

  @Test
  void frozenStagesKeepTheirWeightsAndBatchNormStatisticsThroughTrainingSteps() {
    ModelOptions options = ModelOptions.defaults().withFrozenThrough("conv2");
    try (Model<ShapesNet> model = Model.create(ShapesNet.DESCRIPTOR, Mode.INFERENCE, 1,
        options)) {
      Model<ShapesNet> training = model.forMode(Mode.TRAIN);
      assertEquals(Set.of("conv3.conv.weight", "conv3.bn.weight", "conv3.bn.bias", "fc.weight",
          "fc.bias"), training.network().trainableVariables().keySet());
      assertEquals(ShapesNet.PARAMETERS, training.parameterCount());
      assertEquals(13_920 + 490, training.variables().trainedParameterCount());
      // only the trained stage's BatchNorm updates its running statistics
      assertEquals(2, training.network().updateOps().size());
      Map<String, float[]> before = valuesOf(model);
      TrainingGraph graph = TrainingGraph.build(training, sgd(0.1, FineTuning.NONE));
      for (int step = 0; step < 3; step++) {
        step(graph, step, 1);
      }
      Map<String, float[]> after = valuesOf(model);
      for (String name : before.keySet()) {
        boolean frozen = name.startsWith("conv1.") || name.startsWith("conv2.");
        assertEquals(frozen, Arrays.equals(before.get(name), after.get(name)), name);
      }
    }
  }

  @Test
  void theFrozenStageMustExistAndLeaveSomethingToTrain() {
    IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
        () -> Model.create(ShapesNet.DESCRIPTOR, Mode.TRAIN, 1,
            ModelOptions.defaults().withFrozenThrough("conv_2")));
    assertEquals("cannot freeze through 'conv_2': ShapesNet has no such stage; did you mean "
        + "'conv2'? Its stages: conv1, conv2, conv3, fc", typo.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> Model.create(ShapesNet.DESCRIPTOR, Mode.TRAIN, 1,
            ModelOptions.defaults().withFrozenThrough("backbone")));
    assertEquals("cannot freeze through 'backbone': ShapesNet has no such stage. Its stages: "
        + "conv1, conv2, conv3, fc", unknown.getMessage());
    IllegalArgumentException everything = assertThrows(IllegalArgumentException.class,
        () -> Model.create(ShapesNet.DESCRIPTOR, Mode.TRAIN, 1,
            ModelOptions.defaults().withFrozenThrough("fc")));
    assertTrue(everything.getMessage().contains("it is ShapesNet's last stage, so nothing would "
        + "be left to train; freeze through an earlier stage (at most 'conv3')"),
        everything.getMessage());
  }

  @Test
  void thePretrainedPartLearnsAtTheScaledRateAndTheFreshClassifierAtTheFullOne() {
    FineTuning scaled = FineTuning.from(temp, NameRules.identity())
        .withPretrainedLearningRateScale(0.25);
    Map<String, float[]> start;
    Map<String, float[]> full;
    Map<String, float[]> quarter;
    try (Model<ShapesNet> model = Model.create(ShapesNet.DESCRIPTOR, Mode.TRAIN, 1)) {
      start = valuesOf(model);
      step(TrainingGraph.build(model, sgd(0.05, FineTuning.NONE)), 0, 2);
      full = valuesOf(model);
    }
    try (Model<ShapesNet> model = Model.create(ShapesNet.DESCRIPTOR, Mode.TRAIN, 1)) {
      step(TrainingGraph.build(model, sgd(0.05, scaled), Set.copyOf(HEAD)), 0, 2);
      quarter = valuesOf(model);
    }
    for (String name : List.of("conv1.conv.weight", "conv3.bn.weight", "fc.weight", "fc.bias")) {
      double scale = HEAD.contains(name) ? 1 : 0.25;
      float[] a = start.get(name);
      float[] b = full.get(name);
      float[] c = quarter.get(name);
      double largest = 0;
      for (int i = 0; i < a.length; i++) {
        largest = Math.max(largest, Math.abs(b[i] - a[i]));
      }
      assertTrue(largest > 0, name + " did not move");
      for (int i = 0; i < a.length; i++) {
        assertEquals(scale * (b[i] - a[i]), c[i] - a[i], 1e-3 * largest, name + "[" + i + "]");
      }
    }
  }

  @Test
  void fineTuningSettingsAreCheckedAndRecorded() {
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> FineTuning.from(temp, NameRules.identity()).withPretrainedLearningRateScale(0));
    assertTrue(zero.getMessage().endsWith("got 0.0; to keep stages fixed, freeze them"),
        zero.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> FineTuning.from(temp, NameRules.identity()).withPretrainedLearningRateScale(2));
    IllegalArgumentException noWeights = assertThrows(IllegalArgumentException.class,
        () -> FineTuning.NONE.freezingThrough("conv2"));
    assertTrue(noWeights.getMessage().contains("apply to pretrained weights"),
        noWeights.getMessage());

    TrainingConfig config = sgd(0.1, FineTuning.from(temp, NameRules.identity())
        .freezingThrough("conv2").withPretrainedLearningRateScale(0.1));
    Map<String, String> metadata = config.toMetadata();
    assertEquals(temp.toAbsolutePath().toString(), metadata.get("init"));
    assertEquals("conv2", metadata.get("freeze_through"));
    FineTuning read = TrainingConfig.fromMetadata(metadata).fineTuning();
    assertEquals(temp.toAbsolutePath(), read.init());
    assertEquals("conv2", read.frozenThrough());
    assertEquals(0.1, read.pretrainedLearningRateScale());
    assertFalse(sgd(0.1, FineTuning.NONE).toMetadata().containsKey("init"));
    assertEquals(FineTuning.NONE, TrainingConfig.fromMetadata(
        sgd(0.1, FineTuning.NONE).toMetadata()).fineTuning());
  }

  /** Plain SGD at a constant rate, no weight decay or smoothing: updates are lr · gradient. */
  static TrainingConfig sgd(double rate, FineTuning fineTuning) {
    return new TrainingConfig(1, 8, Optimizer.sgd(0, false), new Schedule.Constant(rate), 0,
        false, 0, 5, 1, fineTuning);
  }

  /** One step on a batch of 8 random images drawn from {@code seed}. */
  static void step(TrainingGraph graph, long step, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] pixels = new float[8 * 32 * 32 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    int[] labels = new int[8];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 10;
    }
    try (TFloat32 images = TFloat32.tensorOf(Shape.of(8, 32, 32, 3),
            DataBuffers.of(pixels, true, false));
        TInt32 targets = TInt32.tensorOf(Shape.of(8), DataBuffers.of(labels, true, false))) {
      graph.step(images, targets, step, 0.05);
    }
  }

  private Path checkpoint(NetworkDescriptor<?> network, long seed) throws IOException {
    Path file = temp.resolve(network.name() + "-" + seed + ".safetensors");
    try (Model<?> model = Model.create(network, Mode.INFERENCE, seed)) {
      Map<String, TFloat32> tensors = model.readAll();
      try {
        Checkpoint.save(file, network.type().getName(), Map.of(), tensors);
      } finally {
        tensors.values().forEach(TFloat32::close);
      }
    }
    return file;
  }

  /** The model's variables in PyTorch's layout (OIHW, linear [out, in]), as a state dict file. */
  private static void writeStateDict(Model<?> model, Path file) throws IOException {
    Map<String, TFloat32> tensors = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, float[]> e : valuesOf(model).entrySet()) {
        Shape shape = model.variables().get(e.getKey()).shape();
        tensors.put(e.getKey(), torchLayout(shape, e.getValue()));
      }
      SafeTensors.write(file, Map.of(), tensors);
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
  }

  private static TFloat32 torchLayout(Shape shape, float[] values) {
    long[] s = shape.asArray();
    if (s.length == 4) { // HWIO -> OIHW
      int h = (int) s[0];
      int w = (int) s[1];
      int in = (int) s[2];
      int out = (int) s[3];
      float[] oihw = new float[values.length];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
              oihw[((o * in + i) * h + y) * w + x] = values[((y * w + x) * in + i) * out + o];
            }
          }
        }
      }
      return TFloat32.tensorOf(Shape.of(out, in, h, w), DataBuffers.of(oihw, true, false));
    }
    if (s.length == 2) { // [in, out] -> [out, in]
      int in = (int) s[0];
      int out = (int) s[1];
      float[] outIn = new float[values.length];
      for (int i = 0; i < in; i++) {
        for (int o = 0; o < out; o++) {
          outIn[o * in + i] = values[i * out + o];
        }
      }
      return TFloat32.tensorOf(Shape.of(out, in), DataBuffers.of(outIn, true, false));
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(values, true, false));
  }

  private static Map<String, float[]> valuesOf(Model<?> model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    Map<String, TFloat32> tensors = model.readAll();
    try {
      tensors.forEach((name, tensor) -> values.put(name, flat(tensor)));
    } finally {
      tensors.values().forEach(TFloat32::close);
    }
    return values;
  }

  private static float[] values(Model<?> model, String name) {
    try (TFloat32 tensor = model.read(name)) {
      return flat(tensor);
    }
  }

  private static float[] flat(TFloat32 tensor) {
    float[] values = new float[(int) tensor.shape().size()];
    tensor.copyTo(DataBuffers.of(values, false, false));
    return values;
  }
}
