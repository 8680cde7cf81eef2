package dev.netspec.runtime.engine;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.engine.EngineDecision.Source;
import dev.netspec.runtime.engine.EngineTimings.Key;
import dev.netspec.runtime.engine.EngineTimings.Timing;
import dev.netspec.runtime.onednn.OneDnn;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.tensorflow.types.TFloat32;

/**
 * {@link Engine#AUTO}: the faster of TensorFlow and ONNX Runtime for this network on this machine,
 * once ONNX Runtime is shown to compute the same thing. On its first images it exports the
 * network to ONNX Runtime and runs both engines on them: ONNX Runtime is used only where its
 * output {@link LogitAgreement agrees} with TensorFlow's. Then it takes the two engines' timings
 * at that batch size from {@link EngineTimings}, or times them now, in turns, and keeps them for
 * later processes. Every later run, of any batch size, goes to the chosen engine.
 *
 * <p>The model stays the caller's, as for {@link Engine#TENSORFLOW}: it must stay open while
 * this engine is used. Runs are serialized.
 */
final class AutoEngine implements InferenceEngine {
  /** Opens ONNX Runtime on a model: {@link OnnxRuntimeEngine#of} but where tests say. */
  interface OnnxOpener {
    InferenceEngine open(Model<?> model, int threads, int height, int width);
  }

  private final Model<?> model;
  private final int threads;
  private final int height;
  private final int width;
  private final OnnxOpener opener;
  private final Supplier<EngineTimings> timings;
  private final AlternatedTiming timing;
  private InferenceEngine chosen;
  private EngineDecision decision;
  private boolean closed;

  AutoEngine(Model<?> model, int threads, int height, int width, OnnxOpener opener,
      Supplier<EngineTimings> timings, AlternatedTiming timing) {
    this.model = Objects.requireNonNull(model, "model");
    this.threads = threads;
    this.height = height;
    this.width = width;
    this.opener = opener;
    this.timings = timings;
    this.timing = timing;
  }

  /**
   * On {@code model}, with ONNX Runtime on {@code threads} and the timings in the user's cache
   * folder; a timing takes two rounds of three runs of each engine, four of them timed.
   */
  static AutoEngine of(Model<?> model, int threads, int height, int width) {
    return new AutoEngine(model, threads, height, width, OnnxRuntimeEngine::of,
        EngineTimings::ofProcess, new AlternatedTiming(2, 2, System::nanoTime));
  }

  /** {@link Engine#AUTO} until the first images have decided, then the engine chosen. */
  @Override
  public synchronized Engine engine() {
    return decision == null ? Engine.AUTO : decision.engine();
  }

  @Override
  public synchronized Optional<EngineDecision> decision() {
    return Optional.ofNullable(decision);
  }

  @Override
  public synchronized TFloat32 predict(TFloat32 images) {
    Objects.requireNonNull(images, "images");
    if (closed) {
      throw new IllegalStateException("engine is closed");
    }
    if (chosen == null) {
      model.checkImages(images.shape());
      chosen = decide(images);
    }
    return chosen.predict(images);
  }

  private InferenceEngine decide(TFloat32 images) {
    InferenceEngine tensorFlow = new TensorFlowEngine(model);
    long batch = images.shape().get(0);
    InferenceEngine onnx;
    try {
      onnx = opener.open(model, threads, height, width);
    } catch (RuntimeException e) {
      decision = new EngineDecision(Engine.TENSORFLOW, Source.UNAVAILABLE, batch, Double.NaN,
          Double.NaN, e.getMessage() == null ? e.toString() : e.getMessage());
      return tensorFlow;
    }
    try {
      LogitAgreement agreement;
      try (TFloat32 reference = tensorFlow.predict(images);
          TFloat32 other = onnx.predict(images)) {
        agreement = LogitAgreement.of(reference, other);
      }
      if (!agreement.holds()) {
        decision = new EngineDecision(Engine.TENSORFLOW, Source.DISAGREES, batch, Double.NaN,
            Double.NaN, agreement.describe() + " on the first images, over the bound of "
            + LogitAgreement.RELATIVE_BOUND + " of max |logit|");
        onnx.close();
        return tensorFlow;
      }
      Key key = new Key(model.network().getClass().getName(), images.shape().get(1),
          images.shape().get(2), batch, threads,
          OneDnn.apply().setting().name().toLowerCase(Locale.ROOT));
      EngineTimings kept = timings.get();
      Optional<Timing> known = kept.get(key);
      Timing measured = known.orElseGet(() -> {
        double[][] ms = timing.millis(List.of(
            () -> tensorFlow.predict(images).close(), () -> onnx.predict(images).close()));
        Timing timed = new Timing(AlternatedTiming.median(ms[0]), AlternatedTiming.median(ms[1]));
        kept.put(key, timed);
        return timed;
      });
      boolean onnxFaster = measured.onnxRuntimeMillis() < measured.tensorFlowMillis();
      decision = new EngineDecision(onnxFaster ? Engine.ONNXRUNTIME : Engine.TENSORFLOW,
          known.isPresent() ? Source.CACHED : Source.MEASURED, batch,
          measured.tensorFlowMillis(), measured.onnxRuntimeMillis(),
          "outputs agree (" + agreement.describe() + ")");
      if (onnxFaster) {
        return onnx;
      }
      onnx.close();
      return tensorFlow;
    } catch (RuntimeException e) {
      onnx.close();
      throw e;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (chosen != null) {
      chosen.close();
    }
  }
}
