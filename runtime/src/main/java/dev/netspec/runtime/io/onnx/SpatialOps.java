package dev.netspec.runtime.io.onnx;

import static dev.netspec.runtime.io.onnx.OnnxGraph.attribute;
import static dev.netspec.runtime.io.onnx.TfGraph.soleConsumer;

import dev.netspec.runtime.io.onnx.proto.OnnxProto.AttributeProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;

/**
 * The ops that see height and width, converted to NCHW: convolutions (one ONNX {@code Conv} with
 * {@code group}, taking in the zero padding before it, and the bias and inference BatchNorm after
 * it; a pointwise one on a channels-last map a {@code MatMul}), BatchNorms left on their own, max
 * and average pools (taking in their padding), paddings.
 */
final class SpatialOps {
  private final GraphConverter converter;
  private final boolean foldBatchNorm;

  SpatialOps(GraphConverter converter, boolean foldBatchNorm) {
    this.converter = converter;
    this.foldBatchNorm = foldBatchNorm;
  }

  /** A Conv2D with its filter {@code [kh, kw, in/groups, out]} as {@code Conv} {@code W}. */
  void conv(GraphOperation op) {
    requireNhwc(op);
    TfGraph tf = converter.tf();
    if (tf.isDynamic(op.input(1))) {
      throw new IllegalArgumentException("cannot export " + op.name() + ": its filter depends on "
          + "the input");
    }
    Constant filter = tf.constant(op.input(1));
    long[] strides = op.attributes().getAttrIntList("strides");
    long[] dilations = op.attributes().getAttrIntList("dilations");
    Output<?> x = op.input(0);
    long[] pads = new long[4];
    GraphOperation before = TfGraph.producer(x);
    if (tf.isDynamic(x) && paddingValue(before) == 0f) {
      addSpatialPadding(pads, tf.constant(before.input(1)).asInts());
      x = before.input(0);
    }
    long[] kernel = {filter.shape()[0], filter.shape()[1]};
    addOpPadding(op, x, kernel, strides, dilations, pads);
    long inChannels = x.shape().get(3);
    long groups = inChannels / filter.shape()[2];

    Constant weight = filter.transpose(new int[] {3, 2, 0, 1});
    float[] bias = null;
    GraphOperation last = op;
    for (GraphOperation next = soleConsumer(last); next != null; next = soleConsumer(last)) {
      if (next.type().equals("BiasAdd") && next.input(0).equals(last.output(0))
          && !tf.isDynamic(next.input(1))) {
        bias = ConvFolding.addBias(bias, tf.constant(next.input(1)).floats());
      } else if (foldBatchNorm && isInferenceNorm(next) && next.input(0).equals(last.output(0))) {
        ConvFolding.Folded folded = ConvFolding.foldBatchNorm(weight, bias,
            tf.constant(next.input(1)).floats(), tf.constant(next.input(2)).floats(),
            tf.constant(next.input(3)).floats(), tf.constant(next.input(4)).floats(),
            next.attributes().getAttrFloat("epsilon"));
        weight = folded.weight();
        bias = folded.bias();
        last = next;
        break; // what follows a BatchNorm is another op's business
      } else {
        break;
      }
      last = next;
    }

    OnnxGraph onnx = converter.onnx();
    String scope = scope(op);
    Value input = converter.value(x);
    boolean pointwise = !input.nchw() && kernel[0] == 1 && kernel[1] == 1 && strides[1] == 1
        && strides[2] == 1 && groups == 1 && Arrays.stream(pads).allMatch(p -> p == 0);
    String y = pointwise
        ? channelsLastProduct(op, input, weight, bias)
        : onnx.node("Conv", op.name(), convInputs(input, scope, weight, bias),
            attribute("kernel_shape", kernel[0], kernel[1]),
            attribute("strides", strides[1], strides[2]),
            attribute("dilations", dilations[1], dilations[2]),
            attribute("pads", pads),
            attribute("group", groups));
    Value result = new Value(y, !pointwise);
    for (GraphOperation folded = op; ; folded = soleConsumer(folded)) {
      converter.define(folded.output(0), result);
      if (folded.equals(last)) {
        break;
      }
    }
  }

  private List<String> convInputs(Value input, String scope, Constant weight, float[] bias) {
    OnnxGraph onnx = converter.onnx();
    List<String> inputs = new ArrayList<>(List.of(converter.nchw(input),
        onnx.initializer(scope + ".weight", weight)));
    if (bias != null) {
      inputs.add(onnx.initializer(scope + ".bias", Constant.ofFloats(
          new long[] {bias.length}, bias)));
    }
    return inputs;
  }

  /**
   * A 1×1 convolution of stride 1 on a map that is channels-last here (a layer norm's output) as
   * a {@code MatMul} over the channels and an {@code Add} of the bias, channels-last too: what
   * PyTorch's ConvNeXt computes with its {@code Linear} layers. As a {@code Conv} it would need
   * the map in NCHW, and ONNX Runtime changed layouts twice around each such convolution
   * (ConvNeXt-T at batch 1: 41.6 → 39.0 ms).
   */
  private String channelsLastProduct(GraphOperation op, Value input, Constant weight,
      float[] bias) {
    OnnxGraph onnx = converter.onnx();
    String scope = scope(op);
    long out = weight.shape()[0];
    long in = weight.shape()[1];
    Constant matrix = Constant.ofFloats(new long[] {out, in}, weight.floats())
        .transpose(new int[] {1, 0});
    String product = onnx.node("MatMul", op.name() + (bias != null ? "/matmul" : ""),
        List.of(input.name(), onnx.initializer(scope + ".weight", matrix)));
    return bias == null ? product : onnx.node("Add", op.name(), List.of(product,
        onnx.initializer(scope + ".bias", Constant.ofFloats(new long[] {out}, bias))));
  }

  /** A BatchNorm in inference not folded into a convolution: {@code BatchNormalization}. */
  void batchNorm(GraphOperation op) {
    requireNhwc(op);
    if (!isInferenceNorm(op)) {
      throw new IllegalArgumentException("cannot export " + op.name() + ": a BatchNorm in "
          + "training; export a model built for inference");
    }
    List<String> inputs = new ArrayList<>(List.of(converter.nchw(converter.value(op.input(0)))));
    for (int i = 1; i <= 4; i++) {
      Output<?> parameter = op.input(i);
      inputs.add(converter.constant(parameter, converter.tf().constant(parameter)));
    }
    String y = converter.onnx().node("BatchNormalization", op.name(), inputs,
        attribute("epsilon", op.attributes().getAttrFloat("epsilon")));
    converter.define(op.output(0), new Value(y, true));
  }

  /**
   * MaxPool and AvgPool, taking in the padding before them: {@code -inf} for a max pool (what ONNX
   * pads a max pool with), zeros counted in the divisor for an average pool (a division by the
   * share of each window that counts, for ceil mode and {@code count_include_pad = false}, is a
   * separate {@code Div} in the graph already).
   */
  void pool(GraphOperation op) {
    requireNhwc(op);
    TfGraph tf = converter.tf();
    boolean max = op.type().startsWith("MaxPool");
    long[] window = op.type().equals("MaxPoolV2") ? tf.constant(op.input(1)).asInts()
        : op.attributes().getAttrIntList("ksize");
    long[] strides = op.type().equals("MaxPoolV2") ? tf.constant(op.input(2)).asInts()
        : op.attributes().getAttrIntList("strides");
    if (window[0] != 1 || window[3] != 1 || strides[0] != 1 || strides[3] != 1) {
      throw new IllegalArgumentException("cannot export " + op.name() + ": it pools across "
          + "images or channels");
    }
    Output<?> x = op.input(0);
    long[] pads = new long[4];
    GraphOperation before = TfGraph.producer(x);
    float padded = tf.isDynamic(x) ? paddingValue(before) : Float.NaN;
    boolean padsCount = false;
    if (max ? padded == Float.NEGATIVE_INFINITY : padded == 0f) {
      addSpatialPadding(pads, tf.constant(before.input(1)).asInts());
      x = before.input(0);
      padsCount = !max;
    }
    long[] kernel = {window[1], window[2]};
    boolean same = op.attributes().getAttrString("padding").equals("SAME");
    addOpPadding(op, x, kernel, strides, new long[] {1, 1, 1, 1}, pads);
    if (same && padsCount) {
      throw new IllegalArgumentException("cannot export " + op.name() + ": an average pool with "
          + "SAME padding after an explicit one");
    }
    List<AttributeProto> attributes = new ArrayList<>(List.of(attribute("kernel_shape", kernel),
        attribute("strides", strides[1], strides[2]), attribute("pads", pads)));
    if (!max) {
      attributes.add(attribute("count_include_pad", padsCount ? 1L : 0L));
    }
    String y = converter.onnx().node(max ? "MaxPool" : "AveragePool", op.name(),
        List.of(converter.nchw(converter.value(x))), attributes.toArray(AttributeProto[]::new));
    converter.define(op.output(0), new Value(y, true));
  }

  /** A padding not taken in by the op after it: {@code Pad} with the axes remapped. */
  void pad(GraphOperation op) {
    TfGraph tf = converter.tf();
    Value x = converter.value(op.input(0));
    long[] amounts = tf.constant(op.input(1)).asInts();
    int rank = amounts.length / 2;
    long[] pads = new long[2 * rank];
    for (int i = 0; i < rank; i++) {
      int tfAxis = x.nchw() ? Value.TO_TF[i] : i;
      pads[i] = amounts[2 * tfAxis];
      pads[rank + i] = amounts[2 * tfAxis + 1];
    }
    float fill = op.type().equals("PadV2") ? tf.constant(op.input(2)).scalar() : 0f;
    OnnxGraph onnx = converter.onnx();
    String y = onnx.node("Pad", op.name(), List.of(x.name(), onnx.ints(op.name() + "/pads", pads),
        onnx.scalar(op.name() + "/value", fill)));
    converter.define(op.output(0), new Value(y, x.nchw()));
  }

  /**
   * The value a Pad or PadV2 fills with, when it pads only height and width by constant amounts
   * and nothing else reads it; NaN otherwise (nothing to take in).
   */
  private float paddingValue(GraphOperation pad) {
    TfGraph tf = converter.tf();
    boolean padOp = pad.type().equals("Pad") || pad.type().equals("PadV2");
    if (!padOp || tf.isDynamic(pad.input(1))
        || (pad.type().equals("PadV2") && tf.isDynamic(pad.input(2)))) {
      return Float.NaN;
    }
    long[] amounts = tf.constant(pad.input(1)).asInts();
    if (amounts.length != 8 || amounts[0] != 0 || amounts[1] != 0 || amounts[6] != 0
        || amounts[7] != 0) {
      return Float.NaN;
    }
    return pad.type().equals("PadV2") ? tf.constant(pad.input(2)).scalar() : 0f;
  }

  /** Adds TensorFlow's {@code [[0,0],[t,b],[l,r],[0,0]]} to ONNX's {@code [t, l, b, r]}. */
  private static void addSpatialPadding(long[] pads, long[] amounts) {
    pads[0] += amounts[2];
    pads[1] += amounts[4];
    pads[2] += amounts[3];
    pads[3] += amounts[5];
  }

  /** Adds the op's own padding: SAME computed from the static size, or EXPLICIT amounts. */
  private static void addOpPadding(GraphOperation op, Output<?> x, long[] kernel, long[] strides,
      long[] dilations, long[] pads) {
    String padding = op.attributes().getAttrString("padding");
    switch (padding) {
      case "VALID" -> { }
      case "EXPLICIT" -> addSpatialPadding(pads,
          op.attributes().getAttrIntList("explicit_paddings"));
      case "SAME" -> {
        for (int axis = 0; axis < 2; axis++) {
          long size = x.shape().get(axis + 1);
          if (size < 0) {
            throw new IllegalArgumentException("cannot export " + op.name() + ": SAME padding "
                + "of an image side known only at run time");
          }
          long out = (size + strides[axis + 1] - 1) / strides[axis + 1];
          long reach = dilations[axis + 1] * (kernel[axis] - 1) + 1;
          long total = Math.max(0, (out - 1) * strides[axis + 1] + reach - size);
          pads[axis] += total / 2;
          pads[axis + 2] += total - total / 2;
        }
      }
      default -> throw new IllegalArgumentException("cannot export " + op.name() + ": padding "
          + padding);
    }
  }

  /** A BatchNorm in inference whose parameters are constants. */
  private boolean isInferenceNorm(GraphOperation op) {
    if (!op.type().startsWith("FusedBatchNorm") || op.attributes().getAttrBool("is_training")) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (converter.tf().isDynamic(op.input(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code layer1/0/conv1/Conv2D} → {@code layer1.0.conv1}: where its variables live. */
  private static String scope(GraphOperation op) {
    int slash = op.name().lastIndexOf('/');
    return slash < 0 ? op.name() : op.name().substring(0, slash).replace('/', '.');
  }

  private static void requireNhwc(GraphOperation op) {
    String format = op.attributes().getAttrString("data_format");
    if (!format.equals("NHWC")) {
      throw new IllegalArgumentException("cannot export " + op.name() + ": data format "
          + format);
    }
  }
}
