package dev.netspec.runtime.io.onnx;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.io.AtomicFiles;
import dev.netspec.runtime.io.IoFailures;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.ModelProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.TensorProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.TensorShapeProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.TypeProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.ValueInfoProto;
import dev.netspec.runtime.layers.DeclaredConvolutions;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Writes a network with its weights as an ONNX model (opset {@value #OPSET}) that ONNX Runtime,
 * TensorRT, OpenVINO and ONNX Runtime Web run: input {@value #INPUT} {@code [batch, 3, H, W]}
 * float32 (or {@code [batch, H, W, 3]}, {@link OnnxOptions#layout()}), normalized as the model's
 * metadata says, output {@value #LOGITS} {@code [batch, classes]} (or {@value #FEATURES}, a
 * feature map in the input's layout, for a network without a classifier). The batch is dynamic;
 * height and width are fixed. Weights are initializers; each convolution is one {@code Conv} with
 * {@code group}, with the BatchNorm after it folded in unless {@link OnnxOptions#foldBatchNorm()}
 * is off.
 *
 * <p>The model is converted from the network's TensorFlow inference graph built again with
 * {@link DeclaredConvolutions} (see {@link GraphConverter} for why), so any network netspec builds
 * exports, and the result computes what {@link Model#predict} does.
 */
public final class OnnxExport {
  /** The ONNX opset: 17 is run by every current ONNX Runtime, TensorRT 8.6+ and OpenVINO. */
  public static final int OPSET = 17;
  /** The IR version that opset 17 goes with. */
  static final long IR_VERSION = 8;
  public static final String INPUT = "input";
  public static final String LOGITS = "logits";
  public static final String FEATURES = "features";
  private static final String BATCH = "batch";

  private OnnxExport() {}

  /**
   * The ONNX model of {@code model}'s network, a generated class, with the model's current
   * weights. {@code metadata} goes into the model's {@code metadata_props}.
   *
   * @throws IllegalArgumentException when the network has an op this exporter cannot convert, or
   *     takes images of any size and {@code options} give none
   */
  public static ModelProto convert(Model<?> model, OnnxOptions options,
      Map<String, String> metadata) {
    return convert(generatedBuilder(model.network().getClass()), model, options, metadata);
  }

  /**
   * {@link #convert(Model, OnnxOptions, Map)} for a network that {@code builder} builds: the
   * builder that made {@code model}, which provides the weights.
   */
  public static <G extends NetworkGraph> ModelProto convert(Model.Builder<G> builder,
      Model<?> model, OnnxOptions options, Map<String, String> metadata) {
    Objects.requireNonNull(builder, "builder");
    Objects.requireNonNull(options, "options");
    Shape images = model.images().shape();
    int channels = (int) images.get(3);
    int height = side("height", (int) images.get(1), options.height());
    int width = side("width", (int) images.get(2), options.width());
    Map<String, TFloat32> weights = model.readAll();
    try (Model<G> declared = DeclaredConvolutions.building(
        () -> Model.create(builder, channels, height, width, Mode.INFERENCE, 0L))) {
      declared.assign(weights);
      return toOnnx(declared, options, metadata);
    } finally {
      weights.values().forEach(TFloat32::close);
    }
  }

  /** Writes {@code model} to {@code target}, replacing it whole or not at all. */
  public static void write(ModelProto model, Path target) {
    try {
      Path parent = target.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      AtomicFiles.write(target, temporary -> {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary))) {
          model.writeTo(out);
        }
      });
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + target + ": " + IoFailures.reason(e),
          e);
    }
  }

  /** {@link #convert(Model, OnnxOptions, Map)} written to {@code target}. */
  public static void export(Model<?> model, OnnxOptions options, Map<String, String> metadata,
      Path target) {
    write(convert(model, options, metadata), target);
  }

  /** The model's size of an image side, or the one the options ask for where it takes any. */
  private static int side(String which, int fixed, int asked) {
    if (fixed > 0 && asked > 0 && fixed != asked) {
      throw new IllegalArgumentException("the network takes images of " + which + " " + fixed
          + ", not " + asked);
    }
    int side = fixed > 0 ? fixed : asked;
    if (side <= 0) {
      throw new IllegalArgumentException("the network takes images of any size; give the "
          + which + " the ONNX model takes");
    }
    return side;
  }

  private static ModelProto toOnnx(Model<?> declared, OnnxOptions options,
      Map<String, String> metadata) {
    TfGraph tf = new TfGraph(declared.graph(), declared.session(), declared.images(),
        declared.network().output());
    OnnxGraph onnx = new OnnxGraph();
    GraphConverter converter = new GraphConverter(tf, onnx, options);
    boolean nchw = options.layout() == ImageLayout.NCHW;
    long[] images = declared.images().shape().asArray();
    converter.convert((GraphOperation) declared.images().op(),
        new Value(onnx.exact(INPUT), nchw));

    Operand<TFloat32> output = declared.network().output();
    long[] shape = output.shape().asArray();
    boolean featureMap = shape.length == 4;
    Value result = converter.value(output.asOutput());
    String last = featureMap && nchw ? converter.nchw(result) : converter.tfOrder(result);
    String outputName = onnx.exact(featureMap ? FEATURES : LOGITS);
    onnx.node("Identity", outputName, List.of(last), List.of(outputName));

    ModelProto.Builder model = ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("netspec")
        .setGraph(onnx.build(declared.network().getClass().getSimpleName(),
            valueInfo(INPUT, nchw ? nchw(images) : images),
            valueInfo(outputName, featureMap && nchw ? nchw(shape) : shape)));
    metadata.forEach((key, value) ->
        model.addMetadataProps(StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return model.build();
  }

  private static long[] nchw(long[] nhwc) {
    return new long[] {nhwc[0], nhwc[3], nhwc[1], nhwc[2]};
  }

  /** A float32 tensor of {@code shape} whose first axis is the dynamic batch. */
  private static ValueInfoProto valueInfo(String name, long[] shape) {
    TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
    dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH));
    for (int i = 1; i < shape.length; i++) {
      dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(shape[i]));
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder()
            .setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(dims))).build();
  }

  /** A generated class's static {@code build(Ops, Operand<TFloat32>, Mode)}. */
  private static <G extends NetworkGraph> Model.Builder<G> generatedBuilder(Class<G> network) {
    Method build;
    try {
      build = network.getMethod("build", Ops.class, Operand.class, Mode.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(network.getName() + " has no static build(Ops, Operand, "
          + "Mode); export it with OnnxExport.convert(builder, model, ...)", e);
    }
    if (!Modifier.isStatic(build.getModifiers())) {
      throw new IllegalArgumentException(network.getName() + ".build must be static");
    }
    return (tf, images, mode) -> {
      try {
        return network.cast(build.invoke(null, tf, images, mode));
      } catch (InvocationTargetException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException("building " + network.getName() + " failed",
            e.getCause());
      } catch (IllegalAccessException e) {
        throw new IllegalArgumentException("cannot call " + build, e);
      }
    };
  }
}
