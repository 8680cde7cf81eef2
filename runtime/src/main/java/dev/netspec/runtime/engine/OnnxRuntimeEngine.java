package dev.netspec.runtime.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.io.onnx.ImageLayout;
import dev.netspec.runtime.io.onnx.OnnxExport;
import dev.netspec.runtime.io.onnx.OnnxOptions;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.ModelProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * {@link Engine#ONNXRUNTIME}: an {@link OrtSession} on the CPU running an ONNX model of one image
 * input and one output, fed NHWC images like every engine. A network of netspec's is exported in
 * memory with NHWC input ({@link #of}), so images go in as they are: ONNX Runtime turns the
 * exported transpose into its own blocked layout, and that costs no more than an NCHW export fed
 * by a transpose in Java (ResNet-50, batch 1 and 8, measured both ways). A model from a file
 * ({@link #load}) may take NCHW, as PyTorch's exports do; images are then transposed here. Runs
 * are thread-safe (ONNX Runtime's sessions are).
 */
public final class OnnxRuntimeEngine implements InferenceEngine {
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final String input;
  private final ImageLayout layout;
  /** The model's input dimensions in its own layout; -1 where any size goes (the batch). */
  private final long[] dimensions;
  private volatile boolean closed;

  private OnnxRuntimeEngine(OrtEnvironment environment, OrtSession session, String input,
      ImageLayout layout, long[] dimensions) {
    this.environment = environment;
    this.session = session;
    this.input = input;
    this.layout = layout;
    this.dimensions = dimensions;
  }

  /**
   * {@code model}'s network with its current weights, exported to ONNX in memory (NHWC input,
   * BatchNorm folded) and run by ONNX Runtime; {@code model} is no longer needed afterwards. The
   * network is built again by its descriptor's builder, or by its generated class's static
   * {@code build} where the model has no descriptor.
   *
   * @param threads the threads of one run, 0 for ONNX Runtime's default (every physical core)
   * @param height the images' height, 0 for the network's own (needed where it takes any size)
   * @param width as {@code height}
   * @throws IllegalArgumentException when the network cannot be exported (see {@link
   *     OnnxExport#convert}) or ONNX Runtime refuses the model
   */
  public static OnnxRuntimeEngine of(Model<?> model, int threads, int height, int width) {
    Objects.requireNonNull(model, "model");
    OnnxOptions options = exportOptions(height, width);
    return fromExport(model.descriptor()
        .map(d -> OnnxExport.convert(d.builder(), model, options, Map.of()))
        .orElseGet(() -> OnnxExport.convert(model, options, Map.of())), threads, model);
  }

  /**
   * {@link #of(Model, int, int, int)} for a network that {@code builder} builds: the builder
   * that made {@code model} (a network cut short at a stage, a hand-written one).
   */
  public static <G extends NetworkGraph> OnnxRuntimeEngine of(Model.Builder<G> builder,
      Model<?> model, int threads, int height, int width) {
    Objects.requireNonNull(model, "model");
    return fromExport(OnnxExport.convert(builder, model, exportOptions(height, width), Map.of()),
        threads, model);
  }

  private static OnnxOptions exportOptions(int height, int width) {
    return OnnxOptions.defaults().withLayout(ImageLayout.NHWC).withSize(height, width);
  }

  private static OnnxRuntimeEngine fromExport(ModelProto onnx, int threads, Model<?> model) {
    return open(onnx.toByteArray(), ImageLayout.NHWC, threads,
        model.network().getClass().getSimpleName());
  }

  /**
   * The ONNX model in {@code file}, whose one input takes images in {@code layout} ({@link
   * ImageLayout#NCHW} for PyTorch's {@code torch.onnx.export}), run on {@code threads} threads
   * (0 for ONNX Runtime's default).
   *
   * @throws IllegalArgumentException when the file cannot be read or is not such a model
   */
  public static OnnxRuntimeEngine load(Path file, ImageLayout layout, int threads) {
    Objects.requireNonNull(file, "file");
    return open(file.toString(), layout, threads, file.toString());
  }

  /** A session on {@code model}: the bytes of an ONNX model or the path of its file. */
  private static OnnxRuntimeEngine open(Object model, ImageLayout layout, int threads,
      String what) {
    Objects.requireNonNull(layout, "layout");
    if (threads < 0) {
      throw new IllegalArgumentException("threads must be 0 (ONNX Runtime's default) or more, got "
          + threads);
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession session = null;
    try (SessionOptions options = options(threads)) {
      session = model instanceof byte[] bytes
          ? environment.createSession(bytes, options)
          : environment.createSession((String) model, options);
      if (session.getNumInputs() != 1 || session.getNumOutputs() != 1) {
        throw new IllegalArgumentException(what + " has " + session.getNumInputs() + " inputs and "
            + session.getNumOutputs() + " outputs; an engine runs models of one image input and "
            + "one output");
      }
      Map.Entry<String, NodeInfo> entry = session.getInputInfo().entrySet().iterator().next();
      long[] dimensions = imageDimensions(entry.getValue(), what);
      return new OnnxRuntimeEngine(environment, session, entry.getKey(), layout, dimensions);
    } catch (OrtException e) {
      closeQuietly(session);
      throw new IllegalArgumentException("ONNX Runtime cannot open " + what + ": " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  /**
   * One run's threads as asked; runs execute node after node (a CNN is a chain: parallel branches
   * would only take threads from the convolutions), fully optimized.
   */
  private static SessionOptions options(int threads) throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      options.setExecutionMode(ExecutionMode.SEQUENTIAL);
      options.setInterOpNumThreads(1);
      // Idle worker threads sleep instead of spinning: on a machine of few cores the spinning
      // took the cores from everything else in the process (TensorFlow's engine 45 → 75 ms on
      // ResNet-50 when the two alternate) and from ONNX Runtime's own next run (47–113 → 32 ms).
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static long[] imageDimensions(NodeInfo info, String what) {
    if (!(info.getInfo() instanceof TensorInfo tensor)
        || tensor.type != ai.onnxruntime.OnnxJavaType.FLOAT || tensor.getShape().length != 4) {
      throw new IllegalArgumentException(what + "'s input " + info.getName() + " is "
          + info.getInfo() + "; an engine feeds float32 images of rank 4");
    }
    return tensor.getShape();
  }

  private static void closeQuietly(OrtSession session) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        // the failure that led here is the one to report
      }
    }
  }

  /** The version of ONNX Runtime's native library, {@code 1.22.0}. */
  public static String version() {
    return OrtEnvironment.getEnvironment().getVersion();
  }

  @Override
  public Engine engine() {
    return Engine.ONNXRUNTIME;
  }

  /** The layout of the model's input: NHWC for netspec's networks, as exported here. */
  public ImageLayout layout() {
    return layout;
  }

  @Override
  public TFloat32 predict(TFloat32 images) {
    Objects.requireNonNull(images, "images");
    if (closed) {
      throw new IllegalStateException("engine is closed");
    }
    long[] nhwc = images.shape().asArray();
    checkImages(nhwc);
    long[] fed = layout == ImageLayout.NHWC ? nhwc
        : new long[] {nhwc[0], nhwc[3], nhwc[1], nhwc[2]};
    FloatBuffer buffer = ByteBuffer.allocateDirect(Math.toIntExact(images.size() * Float.BYTES))
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    if (layout == ImageLayout.NHWC) {
      images.copyTo(DataBuffers.of(buffer));
    } else {
      float[] values = new float[Math.toIntExact(images.size())];
      images.copyTo(DataBuffers.of(values, false, false));
      buffer.put(ImageTranspose.toNchw(values, nhwc));
      buffer.rewind();
    }
    // a direct buffer in native order is read in place, not copied
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, buffer, fed);
        OrtSession.Result result = session.run(Map.of(input, tensor))) {
      return output((OnnxTensor) result.get(0));
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime failed on images of shape "
          + Arrays.toString(nhwc) + ": " + e.getMessage(), e);
    }
  }

  /** The output as netspec gives it: a feature map of an NCHW model transposed to NHWC. */
  private TFloat32 output(OnnxTensor tensor) throws OrtException {
    long[] shape = tensor.getInfo().getShape();
    FloatBuffer values = tensor.getFloatBuffer();
    if (shape.length == 4 && layout == ImageLayout.NCHW) {
      float[] nchw = new float[values.remaining()];
      values.get(nchw);
      long[] nhwc = {shape[0], shape[2], shape[3], shape[1]};
      return TFloat32.tensorOf(Shape.of(nhwc),
          DataBuffers.of(ImageTranspose.toNhwc(nchw, shape), true, false));
    }
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values));
  }

  /** NHWC images against the model's input, with what is wrong and what would fit. */
  private void checkImages(long[] nhwc) {
    long[] wanted = layout == ImageLayout.NHWC ? dimensions
        : new long[] {dimensions[0], dimensions[2], dimensions[3], dimensions[1]};
    String expected = "[" + side(wanted[0], "batch") + ", " + side(wanted[1], "any") + ", "
        + side(wanted[2], "any") + ", " + side(wanted[3], "any") + "] (NHWC)";
    if (nhwc.length != 4) {
      throw new IllegalArgumentException("images must have rank 4, " + expected + "; got shape "
          + Arrays.toString(nhwc));
    }
    if (nhwc[0] == 0) {
      throw new IllegalArgumentException("images must hold at least one image, " + expected);
    }
    for (int axis = 0; axis < 4; axis++) {
      if (wanted[axis] > 0 && nhwc[axis] != wanted[axis]) {
        throw new IllegalArgumentException("images must be " + expected + "; got shape "
            + Arrays.toString(nhwc));
      }
    }
  }

  private static String side(long size, String any) {
    return size > 0 ? Long.toString(size) : any;
  }

  /** Closes the session; the shared {@link OrtEnvironment} stays for other sessions. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        session.close();
      } catch (OrtException e) {
        throw new IllegalStateException("ONNX Runtime could not close its session: "
            + e.getMessage(), e);
      }
    }
  }
}
