package dev.netspec.runtime.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.VariableStore;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.ModelProto;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Runs an exported model in ONNX Runtime and compares it with the TensorFlow model it came from:
 * the same random images, batches of 3 and of 1 (the dynamic batch), outputs within {@link
 * #TOLERANCE} of the largest absolute output.
 */
public final class OnnxRuntimeCheck {
  /** The largest difference allowed, as a share of the largest absolute output. */
  public static final double TOLERANCE = 1e-4;

  private OnnxRuntimeCheck() {}

  /**
   * Gives every variable random values and then sets every BatchNorm's running statistics from
   * the batch statistics of {@link #images} (computed by {@code builder}'s network in training
   * mode), as training would: the network then normalizes its activations, as a trained one does,
   * and stays well conditioned however deep it is (with arbitrary statistics, activations grow
   * through the blocks until float32 rounding decides the outputs). The running variance is the
   * second moment, the variance plus the squared mean: BatchNorms over pooled vectors (attention
   * units) see random images that barely differ, and their batch variance would blow those
   * differences up.
   */
  public static void randomizeWeights(Model.Builder<?> builder, Model<?> model, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, TFloat32> values = new LinkedHashMap<>();
    try {
      for (VariableStore.Entry entry : model.variables().entries()) {
        values.put(entry.name(), TFloat32.tensorOf(entry.shape(),
            DataBuffers.of(randomValues(model, entry, random), true, false)));
      }
      model.assign(values);
      long[] shape = model.images().shape().asArray();
      try (Model<?> training = Model.create(builder, (int) shape[3], (int) shape[1],
          (int) shape[2], Mode.TRAIN, seed)) {
        training.assign(values);
        Map<String, TFloat32> statistics = batchStatistics(training, shape);
        try {
          model.assign(statistics);
        } finally {
          statistics.values().forEach(TFloat32::close);
        }
      }
    } finally {
      values.values().forEach(TFloat32::close);
    }
  }

  /** Every BatchNorm's batch mean and variance on {@link #images}, by running-statistic name. */
  private static Map<String, TFloat32> batchStatistics(Model<?> training, long[] shape) {
    List<GraphOperation> norms = new ArrayList<>();
    training.graph().operations().forEachRemaining(op -> {
      if (op.type().startsWith("FusedBatchNorm") && op.attributes().getAttrBool("is_training")) {
        norms.add(op);
      }
    });
    Map<String, TFloat32> statistics = new LinkedHashMap<>();
    if (norms.isEmpty()) {
      return statistics;
    }
    Map<String, String> variables = new HashMap<>();
    training.variables().entries().forEach(e -> variables.put(e.variable().op().name(),
        e.name()));
    long[] batch = shape.clone();
    batch[0] = 3;
    Session.Runner runner = training.session().runner();
    norms.forEach(op -> runner.fetch(op.output(1)).fetch(op.output(2)));
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(batch), DataBuffers.of(images(batch), true,
            false));
        Result result = runner.feed(training.images(), in).run()) {
      for (int i = 0; i < norms.size(); i++) {
        // the scale's variable names the BatchNorm: "layer1.0.bn1.weight"
        GraphOperation scaleRead = (GraphOperation) norms.get(i).input(1).op();
        String scale = variables.get(scaleRead.input(0).op().name());
        String scope = scale.substring(0, scale.length() - "weight".length());
        float[] mean = floats((TFloat32) result.get(2 * i));
        float[] variance = floats((TFloat32) result.get(2 * i + 1));
        for (int c = 0; c < mean.length; c++) {
          variance[c] += mean[c] * mean[c];
        }
        statistics.put(scope + "running_mean", tensor(mean));
        statistics.put(scope + "running_var", tensor(variance));
      }
    }
    return statistics;
  }

  private static float[] floats(TFloat32 t) {
    float[] values = new float[Math.toIntExact(t.size())];
    t.copyTo(DataBuffers.of(values, false, false));
    return values;
  }

  private static TFloat32 tensor(float[] values) {
    return TFloat32.tensorOf(Shape.of(values.length), DataBuffers.of(values, true, false));
  }

  private static float[] randomValues(Model<?> model, VariableStore.Entry entry,
      SplittableRandom random) {
    String name = entry.name();
    String scope = name.substring(0, name.lastIndexOf('.') + 1);
    boolean norm = model.variables().contains(scope + "running_mean");
    long[] shape = entry.shape().asArray();
    // He-like for filters and dense weights, so that deep networks keep outputs in range
    long fan = shape.length == 4 ? shape[0] * shape[1] * shape[2] : shape.length == 2 ? shape[0]
        : 1;
    double scale = shape.length >= 2 ? Math.sqrt(2.0 / fan) : 0.2;
    float[] v = new float[Math.toIntExact(entry.size())];
    for (int i = 0; i < v.length; i++) {
      if (norm && name.endsWith("running_var")) {
        v[i] = (float) (0.5 + random.nextDouble());
      } else if (norm && name.endsWith(".weight")) {
        v[i] = (float) (0.8 + 0.4 * random.nextDouble());
      } else {
        v[i] = (float) (random.nextGaussian() * scale);
      }
    }
    return v;
  }
  /**
   * Asserts that ONNX Runtime, given {@code onnx} and images in {@code layout}, reproduces {@code
   * model}'s outputs for a batch of 3 and for a batch of 1.
   */
  public static void assertReproduces(Model<?> model, ModelProto onnx, ImageLayout layout,
      String what) {
    long[] nhwc = model.images().shape().asArray();
    nhwc[0] = 3;
    float[] images = images(nhwc);
    float[] expected;
    long[] expectedShape;
    try (TFloat32 in = TFloat32.tensorOf(Shape.of(nhwc), DataBuffers.of(images, true, false));
        TFloat32 out = model.predict(in)) {
      expectedShape = out.shape().asArray();
      expected = new float[Math.toIntExact(out.size())];
      out.copyTo(DataBuffers.of(expected, false, false));
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx.toByteArray(), options)) {
      for (int batch : new int[] {3, 1}) {
        int perImage = images.length / 3;
        long[] shape = nhwc.clone();
        shape[0] = batch;
        float[] batchImages = Arrays.copyOf(images, perImage * batch);
        float[] found = run(env, session, batchImages, shape, layout);
        float[] wanted = Arrays.copyOf(expected, expected.length / 3 * batch);
        double error = relativeError(wanted, found);
        assertTrue(error <= TOLERANCE, String.format(Locale.ROOT,
            "%s, %s, batch %d: ONNX Runtime is off by %.3g of the largest output (shape %s)",
            what, layout, batch, error, Arrays.toString(expectedShape)));
      }
    } catch (OrtException e) {
      throw new AssertionError(what + ": ONNX Runtime failed: " + e.getMessage(), e);
    }
  }

  /** The model's output for NHWC {@code images}, in TensorFlow's layout. */
  private static float[] run(OrtEnvironment env, OrtSession session, float[] images,
      long[] nhwc, ImageLayout layout) throws OrtException {
    boolean nchw = layout == ImageLayout.NCHW;
    float[] input = nchw ? transpose(images, nhwc, new int[] {0, 3, 1, 2}) : images;
    long[] shape = nchw ? new long[] {nhwc[0], nhwc[3], nhwc[1], nhwc[2]} : nhwc;
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
        OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, tensor))) {
      OnnxTensor out = (OnnxTensor) result.get(0);
      long[] outShape = out.getInfo().getShape();
      FloatBuffer buffer = out.getFloatBuffer();
      float[] values = new float[buffer.remaining()];
      buffer.get(values);
      if (outShape.length == 4 && nchw) {
        return transpose(values, outShape, new int[] {0, 2, 3, 1});
      }
      return values;
    }
  }

  /** Row-major {@code values} of {@code shape} with axis {@code i} of the result {@code perm[i]}. */
  static float[] transpose(float[] values, long[] shape, int[] perm) {
    Constant c = Constant.ofFloats(shape, values).transpose(perm);
    return c.floats();
  }

  private static double relativeError(float[] expected, float[] found) {
    assertArrayEquals(new int[] {expected.length}, new int[] {found.length}, "output sizes");
    double scale = 0;
    double error = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, Math.abs(expected[i]));
      error = Math.max(error, Math.abs((double) expected[i] - found[i]));
      if (Float.isNaN(found[i]) != Float.isNaN(expected[i])) {
        return Double.POSITIVE_INFINITY;
      }
    }
    return error / Math.max(scale, 1e-6);
  }

  /** The images the checks feed, uniform on [-1, 1). */
  static float[] images(long[] shape) {
    int size = Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b));
    SplittableRandom random = new SplittableRandom(7);
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return v;
  }
}
