package dev.netspec.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.data.DataSource;
import dev.netspec.runtime.data.Normalization;
import dev.netspec.runtime.engine.Engine;
import dev.netspec.runtime.train.Optimizer;
import dev.netspec.runtime.train.Schedule;
import dev.netspec.runtime.train.ShapesNet;
import dev.netspec.runtime.train.Trainer;
import dev.netspec.runtime.train.TrainingConfig;
import dev.netspec.runtime.train.WiderNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Checkpoints reload only into their network; SavedModels reload to the same outputs. */
class CheckpointExportTest {
  @TempDir static Path temp;
  static Path checkpoint;

  @BeforeAll
  static void trainOneEpoch() {
    Trainer.Result result = Trainer.train(ShapesNet.DESCRIPTOR, DataSource.synthetic(5, 64, 32),
        new TrainingConfig(1, 32, Optimizer.sgd(0.9, true), new Schedule.Constant(0.05), 1e-4,
            false, 0, 1, 1),
        new Trainer.Options(temp.resolve("run"), 1, 32), null);
    checkpoint = result.last().checkpoint();
  }

  @Test
  void aCheckpointOfAnotherNetworkIsRefusedWithTheNamesAndShapesThatDiffer() {
    Checkpoint opened = Checkpoint.open(checkpoint);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Classifier.fromCheckpoint(opened, WiderNet.DESCRIPTOR, ModelOptions.defaults()));
    String message = e.getMessage();
    assertTrue(message.contains("does not fit WiderNet: it was saved from ShapesNet"), message);
    assertTrue(message.contains("missing from the checkpoint: conv4.conv.weight [3, 3, 16, 16]"),
        message);
    assertTrue(message.contains("conv1.conv.weight: checkpoint [3, 3, 3, 16], network "
        + "[3, 3, 3, 12]"), message);

    e = assertThrows(IllegalArgumentException.class, () -> Trainer.resume(WiderNet.DESCRIPTOR, opened,
        0, new Trainer.Options(temp.resolve("resumed"), 1, 32), null));
    assertTrue(e.getMessage().contains("with other shapes"), e.getMessage());
  }

  @Test
  void aTruncatedCheckpointIsRefusedAndTheFileLeftAsItIs() throws Exception {
    byte[] bytes = Files.readAllBytes(checkpoint);
    Path cut = Files.write(temp.resolve("cut.safetensors"),
        Arrays.copyOf(bytes, bytes.length / 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.open(cut));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertEquals(bytes.length / 2, Files.size(cut));
  }

  @Test
  void aCheckpointThatIsNotFiniteIsNeitherWrittenNorLoaded() throws Exception {
    Path target = Files.copy(checkpoint, temp.resolve("kept.safetensors"));
    byte[] before = Files.readAllBytes(target);
    try (TFloat32 fine = TFloat32.vectorOf(1, 2);
        TFloat32 overflowed = TFloat32.vectorOf(1, Float.POSITIVE_INFINITY, Float.NaN)) {
      NonFiniteValuesException e = assertThrows(NonFiniteValuesException.class,
          () -> Checkpoint.save(target, ShapesNet.class.getName(), java.util.Map.of(),
              java.util.Map.of("fc.bias", fine, "conv1.bn.running_var", overflowed)));
      assertTrue(e.getMessage().contains("not saving kept.safetensors: 2 values in 1 tensor are "
          + "not finite: 'conv1.bn.running_var' holds NaN and an infinite value (of 3)"),
          e.getMessage());
    }
    assertArrayEquals(before, Files.readAllBytes(target), "the file there is left as it was");
    try (var files = Files.list(temp)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")),
          "no temporary file left");
    }

    // a checkpoint a run wrote before the check: every way of loading it refuses, in one line
    Path bad = NonFiniteCopy.write(checkpoint, temp.resolve("diverged.safetensors"),
        "conv2.bn.running_var");
    Checkpoint opened = Checkpoint.open(bad);
    String expected = bad + " cannot be loaded: 32 values in 1 tensor are not finite: "
        + "'conv2.bn.running_var' holds 32 infinite values (of 32); it was saved by a run that "
        + "had diverged: use an earlier checkpoint";
    try (Model<?> model = create()) {
      NonFiniteValuesException e = assertThrows(NonFiniteValuesException.class,
          () -> opened.loadWeights(model));
      assertEquals(expected, e.getMessage());
    }
    assertEquals(expected, assertThrows(NonFiniteValuesException.class,
        () -> Classifier.open(bad, name -> ShapesNet.DESCRIPTOR, ModelOptions.defaults()))
        .getMessage());
    assertEquals(expected, assertThrows(NonFiniteValuesException.class,
        () -> Trainer.resume(ShapesNet.DESCRIPTOR, opened, 2,
            new Trainer.Options(temp.resolve("resumed-diverged"), 1, 32), null)).getMessage());
    assertEquals(expected, assertThrows(NonFiniteValuesException.class, opened::checkFinite)
        .getMessage());
  }

  @Test
  void aReloadedSavedModelGivesTheCheckpointsOutputs() throws Exception {
    Path export = temp.resolve("savedmodel");
    Checkpoint opened = Checkpoint.open(checkpoint);
    ModelInfo info = ModelInfo.fromMetadata(opened.metadata());
    float[] pixels = new float[5 * 32 * 32 * 3];
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    float[] expected;
    try (Model<?> model = create();
        TFloat32 images = TFloat32.tensorOf(Shape.of(5, 32, 32, 3),
            DataBuffers.of(pixels, true, false))) {
      opened.loadWeights(model);
      try (TFloat32 logits = model.predict(images)) {
        expected = values(logits);
      }
      SavedModelExport.export(model, info, opened.metadata(), export);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SavedModelExport.export(model, info, opened.metadata(), export));
      assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }
    assertTrue(Files.exists(export.resolve("saved_model.pb")));
    try (Classifier loaded = Classifier.open(export, name -> {
          throw new AssertionError("a SavedModel needs no network class");
        }, ModelOptions.defaults());
        TFloat32 images = TFloat32.tensorOf(Shape.of(5, 32, 32, 3),
            DataBuffers.of(pixels, true, false));
        TFloat32 logits = loaded.logits(images)) {
      assertEquals(Shape.of(5, 10), logits.shape());
      assertArrayEquals(expected, values(logits), 0f, "identical outputs");
      assertEquals(info, loaded.info());
      assertEquals("1", loaded.metadata().get("epoch"));
    }
    try (Classifier fromCheckpoint = Classifier.open(checkpoint, name -> ShapesNet.DESCRIPTOR,
            ModelOptions.defaults());
        TFloat32 images = TFloat32.tensorOf(Shape.of(5, 32, 32, 3),
            DataBuffers.of(pixels, true, false));
        TFloat32 logits = fromCheckpoint.logits(images)) {
      assertArrayEquals(expected, values(logits), 0f);
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void theRawSignatureGivesFromPixelValuesTheLogitsTheDefaultGivesFromNormalizedImages()
      throws Exception {
    Path export = temp.resolve("serving");
    Checkpoint opened = Checkpoint.open(checkpoint);
    ModelInfo info = ModelInfo.fromMetadata(opened.metadata());
    SplittableRandom random = new SplittableRandom(11);
    float[] raw = new float[4 * 32 * 32 * 3];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = random.nextInt(256);
    }
    float[] normalized = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      normalized[i] = raw[i] / 255f; // as images are decoded
    }
    info.normalization().apply(normalized, 0, normalized.length);
    float[] expected;
    try (Model<?> model = Model.createServing(ShapesNet.DESCRIPTOR, info.normalization(),
            ModelOptions.defaults());
        TFloat32 images = tensor(normalized)) {
      opened.loadWeights(model);
      try (TFloat32 logits = model.predict(images)) {
        expected = values(logits);
      }
      SavedModelExport.export(model, info, opened.metadata(), export);
    }
    try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve");
        TFloat32 normalizedImages = tensor(normalized);
        TFloat32 rawImages = tensor(raw);
        Result fromNormalized = bundle.function(SavedModelExport.SIGNATURE)
            .call(Map.of(SavedModelExport.INPUT, normalizedImages));
        Result fromRaw = bundle.function(SavedModelExport.RAW_SIGNATURE)
            .call(Map.of(SavedModelExport.INPUT, rawImages))) {
      float[] byDefault = values((TFloat32) fromNormalized.get(SavedModelExport.OUTPUT).get());
      float[] byRaw = values((TFloat32) fromRaw.get(SavedModelExport.OUTPUT).get());
      assertArrayEquals(expected, byDefault, 0f, "serving_default is the model itself");
      assertArrayEquals(byDefault, byRaw, 1e-5f, "serving_raw normalizes as netspec does");
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void rawImagesNormalizedOtherwiseThanTheDescriptionSaysAreRefused() {
    ModelInfo info = ModelInfo.fromMetadata(Checkpoint.open(checkpoint).metadata());
    Normalization other = new Normalization(new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.25f, 0.25f, 0.25f});
    try (Model<?> model = Model.createServing(ShapesNet.DESCRIPTOR, other,
        ModelOptions.defaults())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> SavedModelExport.export(model, info, Map.of(), temp.resolve("mismatch")));
      assertTrue(e.getMessage().startsWith("the model normalizes raw images with mean [0.5, "
          + "0.5, 0.5], std [0.25, 0.25, 0.25], the model description says mean ["),
          e.getMessage());
    }
    assertFalse(Files.exists(temp.resolve("mismatch")));
  }

  private static TFloat32 tensor(float[] pixels) {
    return TFloat32.tensorOf(Shape.of(pixels.length / (32 * 32 * 3), 32, 32, 3),
        DataBuffers.of(pixels, true, false));
  }

  private static Model<?> create() {
    Model<ShapesNet> model = Model.create(ShapesNet.DESCRIPTOR, Mode.INFERENCE, 0L);
    assertEquals(ShapesNet.PARAMETERS, model.parameterCount(), "ShapesNet states its size");
    return model;
  }

  @Test
  void aCheckpointRunsOnOnnxRuntimeAsOnTensorFlowAndASavedModelOnTensorFlowOnly() {
    float[] pixels = new float[3 * 32 * 32 * 3];
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    try (Classifier tensorflow = Classifier.open(checkpoint, name -> ShapesNet.DESCRIPTOR,
            ModelOptions.defaults());
        Classifier onnxRuntime = Classifier.open(checkpoint, name -> ShapesNet.DESCRIPTOR,
            ModelOptions.defaults().withThreads(1), Engine.ONNXRUNTIME);
        TFloat32 images = TFloat32.tensorOf(Shape.of(3, 32, 32, 3),
            DataBuffers.of(pixels, true, false));
        TFloat32 expected = tensorflow.logits(images);
        TFloat32 found = onnxRuntime.logits(images)) {
      assertEquals(tensorflow.info(), onnxRuntime.info());
      assertEquals(tensorflow.metadata(), onnxRuntime.metadata());
      float[] a = values(expected);
      float[] b = values(found);
      float scale = 0;
      for (int i = 0; i < a.length; i++) {
        scale = Math.max(scale, Math.abs(a[i]));
      }
      assertArrayEquals(a, b, 1e-4f * scale);
    }
    Path export = temp.resolve("tensorflow-only");
    try (Model<?> model = create()) {
      Checkpoint opened = Checkpoint.open(checkpoint);
      opened.loadWeights(model);
      SavedModelExport.export(model, ModelInfo.fromMetadata(opened.metadata()),
          opened.metadata(), export);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Classifier.open(export, name -> ShapesNet.DESCRIPTOR, ModelOptions.defaults(),
            Engine.ONNXRUNTIME));
    assertTrue(e.getMessage().endsWith("is a SavedModel folder, which runs on TensorFlow only;"
        + " give its checkpoint (.safetensors) to run on onnxruntime"), e.getMessage());
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
