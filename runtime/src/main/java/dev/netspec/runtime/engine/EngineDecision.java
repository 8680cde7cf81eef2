package dev.netspec.runtime.engine;

import java.util.Locale;

/**
 * Which engine {@link Engine#AUTO} runs a network on, and why.
 *
 * @param engine the engine that runs the network
 * @param source how that was decided
 * @param batch the batch size the engines were timed at
 * @param tensorFlowMillis TensorFlow's median time of one run, NaN where not timed
 * @param onnxRuntimeMillis ONNX Runtime's, NaN where not timed
 * @param detail how the engines' outputs compared, or why ONNX Runtime cannot run the network;
 *     one line
 */
public record EngineDecision(Engine engine, Source source, long batch, double tensorFlowMillis,
    double onnxRuntimeMillis, String detail) {

  /** How a decision was made. */
  public enum Source {
    /** Both engines were timed now, in turns, on the first images. */
    MEASURED("timed now"),
    /** Timings an earlier process kept for this network, batch size, CPU and settings. */
    CACHED("timed earlier on this CPU"),
    /** ONNX Runtime cannot run the network (its export failed, or the device is a GPU). */
    UNAVAILABLE("onnxruntime cannot run it"),
    /** ONNX Runtime's output differs from TensorFlow's: it is not used. */
    DISAGREES("onnxruntime's output differs from tensorflow's");

    private final String phrase;

    Source(String phrase) {
      this.phrase = phrase;
    }
  }

  public EngineDecision {
    if (engine == Engine.AUTO) {
      throw new IllegalArgumentException("a decision names the engine it chose");
    }
    detail = detail.replaceAll("[\\r\\n\\t]+", " ").trim();
  }

  /**
   * {@code onnxruntime: 32.1 ms against tensorflow's 45.3 ms at batch 1, timed now; outputs agree
   * (max |difference| 2.1e-06 of max |logit| 11.4)}.
   */
  public String describe() {
    String line = engine.label() + ": ";
    if (Double.isNaN(tensorFlowMillis) || Double.isNaN(onnxRuntimeMillis)) {
      line += source.phrase;
    } else {
      Engine other = engine == Engine.TENSORFLOW ? Engine.ONNXRUNTIME : Engine.TENSORFLOW;
      line += String.format(Locale.ROOT, "%.1f ms against %s's %.1f ms at batch %d, %s",
          millis(engine), other.label(), millis(other), batch, source.phrase);
    }
    return detail.isEmpty() ? line : line + "; " + detail;
  }

  private double millis(Engine which) {
    return which == Engine.TENSORFLOW ? tensorFlowMillis : onnxRuntimeMillis;
  }
}
