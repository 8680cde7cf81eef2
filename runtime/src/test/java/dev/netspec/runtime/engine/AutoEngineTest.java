package dev.netspec.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Device;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.TinyNet;
import dev.netspec.runtime.engine.EngineDecision.Source;
import dev.netspec.runtime.io.FingerprintedLines;
import dev.netspec.runtime.io.onnx.OnnxRuntimeCheck;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Auto runs ONNX Runtime only where it agrees with TensorFlow, and then the faster of the two by
 * the timings, measured once and kept.
 */
class AutoEngineTest {
  @TempDir Path cache;
  private Model<TinyNet> model;
  /** Every read of the clock advances it 10 ms; a run of ONNX Runtime takes {@link #onnxMs}. */
  private long now;
  private long onnxMs;

  @BeforeEach
  void randomWeights() {
    model = Model.create(TinyNet.DESCRIPTOR, Mode.INFERENCE, 3L);
    OnnxRuntimeCheck.randomizeWeights(TinyNet.DESCRIPTOR.builder(), model, 5L);
  }

  @AfterEach
  void close() {
    model.close();
  }

  private EngineTimings timings() {
    return new EngineTimings(FingerprintedLines.in(cache, "engine-timings", "test 1", "cpu"));
  }

  /** TensorFlow's runs take 10 ms on the fake clock, ONNX Runtime's {@code 10 + onnxMs}. */
  private AutoEngine auto(AutoEngine.OnnxOpener opener) {
    return new AutoEngine(model, 1, 0, 0, opener, this::timings,
        new AlternatedTiming(1, 3, () -> now += 10_000_000));
  }

  private InferenceEngine timedOnnx(Model<?> m, int threads, int height, int width) {
    InferenceEngine onnx = OnnxRuntimeEngine.of(m, threads, height, width);
    return new InferenceEngine() {
      @Override
      public Engine engine() {
        return Engine.ONNXRUNTIME;
      }

      @Override
      public TFloat32 predict(TFloat32 images) {
        now += onnxMs * 1_000_000;
        return onnx.predict(images);
      }

      @Override
      public void close() {
        onnx.close();
      }
    };
  }

  @Test
  void theFasterEngineRunsAndItsTimingServesTheNextProcess() {
    onnxMs = -6;
    try (AutoEngine first = auto(this::timedOnnx); TFloat32 images = images(4);
        TFloat32 expected = model.predict(images)) {
      assertEquals(Engine.AUTO, first.engine(), "undecided before the first images");
      try (TFloat32 logits = first.predict(images)) {
        assertTrue(LogitAgreement.of(expected, logits).holds());
      }
      EngineDecision decision = first.decision().orElseThrow();
      assertEquals(Engine.ONNXRUNTIME, first.engine());
      assertEquals(Source.MEASURED, decision.source());
      assertEquals(10, decision.tensorFlowMillis(), 1e-9);
      assertEquals(4, decision.onnxRuntimeMillis(), 1e-9);
      assertEquals(4, decision.batch());
      assertTrue(decision.describe().startsWith("onnxruntime: 4.0 ms against tensorflow's 10.0 ms"
          + " at batch 4, timed now; outputs agree (max |difference| "), decision.describe());
      // a later batch of another size goes to the same engine
      try (TFloat32 two = images(2); TFloat32 logits = first.predict(two)) {
        assertEquals(Shape.of(2, 2), logits.shape());
      }
    }
    onnxMs = 50; // now slower, but the timing kept decides
    try (AutoEngine later = auto(this::timedOnnx); TFloat32 images = images(4);
        TFloat32 logits = later.predict(images)) {
      assertEquals(Source.CACHED, later.decision().orElseThrow().source());
      assertEquals(Engine.ONNXRUNTIME, later.engine());
    }
    try (AutoEngine otherBatch = auto(this::timedOnnx); TFloat32 images = images(3);
        TFloat32 logits = otherBatch.predict(images)) {
      assertEquals(Source.MEASURED, otherBatch.decision().orElseThrow().source());
      assertEquals(Engine.TENSORFLOW, otherBatch.engine(), "ONNX Runtime 60 ms against 10");
    }
  }

  @Test
  void anEngineThatDisagreesIsNotUsed() {
    AutoEngine.OnnxOpener shifted = (m, threads, height, width) -> new InferenceEngine() {
      @Override
      public Engine engine() {
        return Engine.ONNXRUNTIME;
      }

      @Override
      public TFloat32 predict(TFloat32 images) {
        try (TFloat32 right = m.predict(images)) {
          float[] values = new float[(int) right.shape().size()];
          right.copyTo(DataBuffers.of(values, false, false));
          values[0] += 0.5f;
          return TFloat32.tensorOf(right.shape(), DataBuffers.of(values, true, false));
        }
      }

      @Override
      public void close() {}
    };
    try (AutoEngine auto = auto(shifted); TFloat32 images = images(4);
        TFloat32 expected = model.predict(images); TFloat32 logits = auto.predict(images)) {
      EngineDecision decision = auto.decision().orElseThrow();
      assertEquals(Engine.TENSORFLOW, decision.engine());
      assertEquals(Source.DISAGREES, decision.source());
      assertTrue(decision.describe().startsWith("tensorflow: onnxruntime's output differs from "
          + "tensorflow's; max |difference| 0.50 of max |logit| "), decision.describe());
      assertEquals(0, LogitAgreement.of(expected, logits).maxDifference());
    }
  }

  @Test
  void aNetworkOnnxRuntimeCannotRunStaysOnTensorFlow() {
    try (AutoEngine auto = auto((m, threads, height, width) -> {
          throw new IllegalArgumentException("no ONNX form for the op Foo");
        }); TFloat32 images = images(1); TFloat32 logits = auto.predict(images)) {
      assertEquals(Engine.TENSORFLOW, auto.engine());
      assertEquals("tensorflow: onnxruntime cannot run it; no ONNX form for the op Foo",
          auto.decision().orElseThrow().describe());
    }
  }

  @Test
  void aClosedEngineRefusesToRun() {
    AutoEngine auto = auto(this::timedOnnx);
    auto.close();
    try (TFloat32 images = images(1)) {
      assertThrows(IllegalStateException.class, () -> auto.predict(images));
    }
  }

  @Test
  void autoIsTensorFlowOnAGpuAndParsesByName() {
    assertEquals(Engine.TENSORFLOW, Engine.AUTO.on(Device.gpu(0)));
    assertEquals(Engine.AUTO, Engine.AUTO.on(Device.cpu()));
    assertEquals(Engine.AUTO, Engine.parse(" Auto"));
    assertEquals("auto, tensorflow or onnxruntime", Engine.labels());
    assertTrue(Engine.AUTO.runsModel() && !Engine.ONNXRUNTIME.runsModel());
  }

  private static TFloat32 images(int n) {
    SplittableRandom random = new SplittableRandom(n);
    float[] values = new float[n * 8 * 8 * 3];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return TFloat32.tensorOf(Shape.of(n, 8, 8, 3), DataBuffers.of(values, true, false));
  }
}
