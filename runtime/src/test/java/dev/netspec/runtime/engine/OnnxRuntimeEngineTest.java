package dev.netspec.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Device;
import dev.netspec.runtime.DynamicNet;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.TinyNet;
import dev.netspec.runtime.io.onnx.ImageLayout;
import dev.netspec.runtime.io.onnx.OnnxExport;
import dev.netspec.runtime.io.onnx.OnnxOptions;
import dev.netspec.runtime.io.onnx.OnnxRuntimeCheck;
import dev.netspec.runtime.layers.Layers;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The ONNX Runtime engine gives what TensorFlow gives, from the model or from a file. */
class OnnxRuntimeEngineTest {
  @TempDir Path temp;

  @Test
  void theEngineGivesTensorFlowsLogitsAndOutlivesTheModel() {
    float[] expected;
    InferenceEngine engine;
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 3L);
        TFloat32 images = images(5, 8, 8, 3)) {
      OnnxRuntimeCheck.randomizeWeights(TinyNet.DESCRIPTOR.builder(), model, 5L);
      try (TFloat32 logits = model.predict(images)) {
        expected = values(logits);
      }
      engine = Engine.ONNXRUNTIME.open(model, 1, 0, 0);
    }
    try (engine; TFloat32 images = images(5, 8, 8, 3); TFloat32 logits = engine.predict(images)) {
      assertEquals(Engine.ONNXRUNTIME, engine.engine());
      assertEquals(Shape.of(5, 2), logits.shape());
      assertClose(expected, values(logits));
    }
  }

  @Test
  void aNetworkOfAnyImageSizeRunsAtTheSizeGivenFromTheModelAndFromAnNchwFile() {
    Path file = temp.resolve("dynamic.onnx");
    float[] expected;
    try (Model<DynamicNet> model = Model.create(DynamicNet.DESCRIPTOR, Mode.INFERENCE, 3L);
        TFloat32 images = images(2, 12, 10, 1)) {
      OnnxExport.export(model, OnnxOptions.defaults().withSize(12, 10), Map.of(), file);
      try (TFloat32 out = model.predict(images);
          InferenceEngine own = Engine.ONNXRUNTIME.open(model, 0, 12, 10);
          TFloat32 fromModel = own.predict(images)) {
        expected = values(out);
        assertClose(expected, values(fromModel));
      }
    }
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(file, ImageLayout.NCHW, 2);
        TFloat32 images = images(2, 12, 10, 1);
        TFloat32 out = engine.predict(images)) {
      assertEquals(ImageLayout.NCHW, engine.layout());
      assertEquals(Shape.of(2, 5), out.shape());
      assertClose(expected, values(out));
    }
  }

  @Test
  void aFeatureMapComesBackNhwcFromAnNchwFileAsFromTheModel() {
    Model.Builder<TinyNet> features = (tf, images, mode) ->
        TinyNet.build(Layers.create(tf, mode), images, "conv");
    Path file = temp.resolve("features.onnx");
    float[] expected;
    Shape shape;
    try (Model<TinyNet> model = Model.create(features, 3, 8, 8, Mode.INFERENCE, 3L);
        TFloat32 images = images(3, 8, 8, 3)) {
      OnnxRuntimeCheck.randomizeWeights(features, model, 5L);
      OnnxExport.write(OnnxExport.convert(features, model, OnnxOptions.defaults(), Map.of()),
          file);
      try (TFloat32 out = model.predict(images);
          InferenceEngine own = OnnxRuntimeEngine.of(features, model, 1, 0, 0);
          TFloat32 fromModel = own.predict(images)) {
        expected = values(out);
        shape = out.shape();
        assertEquals(Shape.of(3, 4, 4, 4), shape);
        assertEquals(shape, fromModel.shape());
        assertClose(expected, values(fromModel));
      }
    }
    try (OnnxRuntimeEngine engine = OnnxRuntimeEngine.load(file, ImageLayout.NCHW, 1);
        TFloat32 images = images(3, 8, 8, 3);
        TFloat32 out = engine.predict(images)) {
      assertEquals(shape, out.shape());
      assertClose(expected, values(out));
    }
  }

  @Test
  void imagesOfAnotherShapeAreRefusedWithTheShapeThatFits() {
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 3L);
        InferenceEngine engine = Engine.ONNXRUNTIME.open(model, 1, 0, 0);
        TFloat32 wrong = images(1, 8, 9, 3)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> engine.predict(wrong));
      assertTrue(e.getMessage().contains("[batch, 8, 8, 3] (NHWC); got shape [1, 8, 9, 3]"),
          e.getMessage());
    }
  }

  @Test
  void aClosedEngineRefusesToRunAndClosesOnce() {
    InferenceEngine engine;
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 3L)) {
      engine = Engine.ONNXRUNTIME.open(model, 1, 0, 0);
    }
    engine.close();
    engine.close();
    try (TFloat32 images = images(1, 8, 8, 3)) {
      assertThrows(IllegalStateException.class, () -> engine.predict(images));
    }
  }

  @Test
  void enginesAreNamedAsOnTheCommandLineAndOnnxRuntimeRefusesGpus() {
    assertEquals(Engine.ONNXRUNTIME, Engine.parse(" OnnxRuntime"));
    assertEquals(Engine.TENSORFLOW, Engine.parse("tensorflow"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Engine.parse("ort"));
    assertEquals("'ort' is no engine; use auto, tensorflow or onnxruntime", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Engine.ONNXRUNTIME.checkDevice(Device.gpu(0)));
    assertTrue(e.getMessage().startsWith("onnxruntime runs on the CPU only"), e.getMessage());
    Engine.ONNXRUNTIME.checkDevice(Device.cpu());
    Engine.TENSORFLOW.checkDevice(Device.gpu(0));
  }

  @Test
  void theTensorFlowEngineIsTheModelsPredict() {
    try (Model<TinyNet> model = Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 3L,
            ModelOptions.defaults());
        InferenceEngine engine = Engine.TENSORFLOW.open(model, 0, 0, 0);
        TFloat32 images = images(2, 8, 8, 3);
        TFloat32 a = model.predict(images);
        TFloat32 b = engine.predict(images)) {
      assertArrayEquals(values(a), values(b), 0f);
    }
  }

  @Test
  void transposesRoundTrip() {
    long[] nhwc = {2, 3, 4, 5};
    float[] values = new float[2 * 3 * 4 * 5];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    float[] nchw = ImageTranspose.toNchw(values, nhwc);
    // image 1, channel 2, row 1, column 3
    assertEquals(values[60 + (1 * 4 + 3) * 5 + 2], nchw[60 + 2 * 12 + 1 * 4 + 3]);
    assertArrayEquals(values, ImageTranspose.toNhwc(nchw, new long[] {2, 5, 3, 4}));
  }

  private static void assertClose(float[] expected, float[] found) {
    assertEquals(expected.length, found.length, "output sizes");
    double scale = 0;
    double error = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      error = Math.max(error, Math.abs(expected[i] - found[i]));
    }
    assertTrue(scale > 0, "outputs are not all zero");
    assertTrue(error <= OnnxRuntimeCheck.TOLERANCE * scale,
        "off by " + error + " of at most " + scale);
  }

  private static TFloat32 images(int n, int h, int w, int c) {
    SplittableRandom random = new SplittableRandom(17);
    float[] v = new float[n * h * w * c];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return TFloat32.tensorOf(Shape.of(n, h, w, c), DataBuffers.of(v, true, false));
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[Math.toIntExact(t.size())];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
