package dev.netspec.runtime.io.onnx;

import static dev.netspec.runtime.io.onnx.OnnxGraph.attribute;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Output;

/**
 * Converts a TensorFlow inference graph to ONNX op by op, tracking layouts: a 4-D tensor, NHWC in
 * TensorFlow, becomes NCHW as soon as a spatial op (convolution, pooling, BatchNorm) reads it and
 * stays NCHW, so that axes of concatenations, splits, reductions, paddings and softmaxes are
 * remapped instead of each op being wrapped in transposes; a transpose appears only where a
 * reshape needs TensorFlow's element order, and around a layer norm, which ONNX computes on
 * channels-last maps (those stay so through the pointwise convolutions after it). Convolutions
 * and pools take in the padding before them, and convolutions the bias and (when {@link
 * OnnxOptions#foldBatchNorm()}) the BatchNorm after them; {@link SpatialOps} does those. A layer
 * norm's nine ops become one {@code LayerNormalization} ({@link LayerNormPattern}), a hard
 * sigmoid's or hard swish's one {@code HardSigmoid} or {@code HardSwish} ({@link
 * HardSigmoidPattern}).
 *
 * <p>Why the TensorFlow graph and not a walk of the spec: it is the network exactly as netspec
 * runs it (every block, unit order, activation and rounding rule), so the export cannot drift from
 * it; and a graph built with {@code DeclaredConvolutions} has one Conv2D per convolution, whatever
 * kernel path this machine's TensorFlow would take.
 */
final class GraphConverter {
  private final TfGraph tf;
  private final OnnxGraph onnx;
  private final SpatialOps spatial;
  private final Map<Output<?>, Value> values = new HashMap<>();
  /** Transposes already made: {@code name → the same value in the other layout}. */
  private final Map<String, String> transposed = new HashMap<>();
  /** Ops written as part of one ONNX node for their pattern (a layer norm's), not one by one. */
  private final Set<GraphOperation> absorbed = new HashSet<>();

  GraphConverter(TfGraph tf, OnnxGraph onnx, OnnxOptions options) {
    this.tf = tf;
    this.onnx = onnx;
    this.spatial = new SpatialOps(this, options.foldBatchNorm());
  }

  TfGraph tf() {
    return tf;
  }

  OnnxGraph onnx() {
    return onnx;
  }

  /** Converts every op from {@code input} (already defined as {@code inputValue}) on. */
  void convert(GraphOperation input, Value inputValue) {
    values.put(input.output(0), inputValue);
    for (GraphOperation op : tf.order()) {
      if (op.equals(input) || values.containsKey(op.output(0)) || absorbed.contains(op)) {
        continue; // the input, or folded into an op before it
      }
      convert(op);
    }
  }

  /** The value that stands for a converted tensor. */
  Value value(Output<?> tensor) {
    Value value = values.get(tensor);
    if (value == null) {
      throw new IllegalStateException("no ONNX value for " + tensor.op().name() + ":"
          + tensor.index());
    }
    return value;
  }

  void define(Output<?> tensor, Value value) {
    values.put(tensor, value);
  }

  /** {@code value} as NCHW (it must be 4-D): a transpose unless it is NCHW already. */
  String nchw(Value value) {
    return value.nchw() ? value.name()
        : transposed.computeIfAbsent(value.name(), n -> onnx.node("Transpose", n + "/nchw",
            List.of(n), attribute("perm", 0, 3, 1, 2)));
  }

  /** {@code value} in TensorFlow's axis order: a transpose if it is NCHW. */
  String tfOrder(Value value) {
    return !value.nchw() ? value.name()
        : transposed.computeIfAbsent(value.name(), n -> onnx.node("Transpose", n + "/nhwc",
            List.of(n), attribute("perm", 0, 2, 3, 1)));
  }

  /** A name for a constant: the variable it reads where there is one ({@code layer1.0.bn1.weight}). */
  static String constantName(Output<?> tensor) {
    GraphOperation producer = TfGraph.producer(tensor);
    if (producer.type().equals("Identity") && producer.numInputs() == 1) {
      GraphOperation read = TfGraph.producer(producer.input(0));
      if (read.type().startsWith("Variable") || read.type().equals("VarHandleOp")) {
        producer = read;
      }
    }
    return producer.name().replace('/', '.');
  }

  /** An initializer holding a constant input. */
  String constant(Output<?> tensor, Constant value) {
    return onnx.initializer(constantName(tensor), value);
  }

  private void convert(GraphOperation op) {
    switch (op.type()) {
      case "Identity", "StopGradient", "Snapshot", "EnsureShape" -> define(op.output(0),
          value(op.input(0)));
      case "Relu", "Sigmoid", "Tanh", "Elu", "Selu", "Neg", "Sqrt", "Exp", "Abs", "Reciprocal",
          "Erf" -> unary(op, op.type());
      case "Relu6" -> relu6(op);
      case "Square" -> square(op);
      case "Rsqrt" -> rsqrt(op);
      case "Softmax" -> softmax(op);
      case "Add", "AddV2" -> HardSigmoidPattern.startingAt(op, tf)
          .ifPresentOrElse(this::hardSigmoid, () -> binary(op, "Add"));
      case "BiasAdd" -> binary(op, "Add");
      case "Sub" -> binary(op, "Sub");
      case "Mul" -> {
        if (isGeluScale(op)) {
          geluScale(op);
        } else {
          binary(op, "Mul");
        }
      }
      case "RealDiv", "Div" -> binary(op, "Div");
      case "Maximum" -> binary(op, "Max");
      case "Minimum" -> binary(op, "Min");
      case "ConcatV2" -> concat(op);
      case "Split" -> split(op, op.input(1), tf.constant(op.input(0)).asInts()[0], null);
      case "SplitV" -> split(op, op.input(0), tf.constant(op.input(2)).asInts()[0],
          tf.constant(op.input(1)).asInts());
      case "Transpose" -> transpose(op);
      case "Reshape" -> reshape(op);
      case "Mean" -> LayerNormPattern.startingAt(op, tf)
          .ifPresentOrElse(this::layerNorm, () -> reduce(op, "ReduceMean"));
      case "Max" -> reduce(op, "ReduceMax");
      case "Sum" -> reduce(op, "ReduceSum");
      case "MatMul" -> matMul(op);
      case "Conv2D" -> spatial.conv(op);
      case "FusedBatchNorm", "FusedBatchNormV3" -> spatial.batchNorm(op);
      case "MaxPool", "MaxPoolV2", "AvgPool" -> spatial.pool(op);
      case "Pad", "PadV2" -> spatial.pad(op);
      default -> throw new IllegalArgumentException("cannot export " + op.name() + ": TensorFlow's "
          + op.type() + " has no ONNX counterpart in this exporter");
    }
  }

  private void unary(GraphOperation op, String onnxOp) {
    Value x = value(op.input(0));
    define(op.output(0), new Value(onnx.node(onnxOp, op.name(), List.of(x.name())), x.nchw()));
  }

  private void relu6(GraphOperation op) {
    Value x = value(op.input(0));
    String low = onnx.scalar(op.name() + "/min", 0f);
    String high = onnx.scalar(op.name() + "/max", 6f);
    define(op.output(0),
        new Value(onnx.node("Clip", op.name(), List.of(x.name(), low, high)), x.nchw()));
  }

  /** x² as x · x: ONNX has no Square. */
  private void square(GraphOperation op) {
    Value x = value(op.input(0));
    define(op.output(0),
        new Value(onnx.node("Mul", op.name(), List.of(x.name(), x.name())), x.nchw()));
  }

  /** Whether {@code op} is GELU's {@code x · (1 / √2)}, read by its {@code Erf} alone. */
  private boolean isGeluScale(GraphOperation op) {
    GraphOperation reader = TfGraph.soleConsumer(op);
    return reader != null && reader.type().equals("Erf") && tf.isDynamic(op.input(0))
        && tf.isScalar(op.input(1), (float) (1 / Math.sqrt(2)));
  }

  /**
   * GELU's {@code x · (1 / √2)} as {@code x / √2} (equal but for the last bit): the form in which
   * PyTorch exports GELU, and which ONNX Runtime fuses with the {@code Erf}, {@code Add} and
   * {@code Mul}s around it into one {@code Gelu} kernel (ConvNeXt-T at batch 1, 51.7 → 41.6 ms).
   */
  private void geluScale(GraphOperation op) {
    Value x = value(op.input(0));
    String root2 = onnx.scalar(op.name() + "/sqrt2", (float) Math.sqrt(2));
    define(op.output(0),
        new Value(onnx.node("Div", op.name(), List.of(x.name(), root2)), x.nchw()));
  }

  private void rsqrt(GraphOperation op) {
    Value x = value(op.input(0));
    String root = onnx.node("Sqrt", op.name() + "/sqrt", List.of(x.name()));
    define(op.output(0), new Value(onnx.node("Reciprocal", op.name(), List.of(root)), x.nchw()));
  }

  private void softmax(GraphOperation op) {
    Value x = value(op.input(0));
    int rank = rank(op.input(0));
    define(op.output(0), new Value(onnx.node("Softmax", op.name(), List.of(x.name()),
        attribute("axis", (long) x.axis(-1, rank))), x.nchw()));
  }

  /**
   * An element-wise op with broadcasting. A 4-D result is NCHW when any 4-D input is; constants
   * are then given four axes and permuted to match (a bias {@code [C]} becomes {@code [1, C, 1,
   * 1]}).
   */
  private void binary(GraphOperation op, String onnxOp) {
    int rank = rank(op.output(0));
    boolean nchw = false;
    for (int i = 0; i < 2; i++) {
      nchw |= rank == 4 && tf.isDynamic(op.input(i)) && value(op.input(i)).nchw();
    }
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      inputs.add(operand(op.input(i), nchw));
    }
    define(op.output(0), new Value(onnx.node(onnxOp, op.name(), inputs), nchw));
  }

  /** An input of an op whose result is NCHW or in TensorFlow's order. */
  private String operand(Output<?> input, boolean nchw) {
    if (tf.isDynamic(input)) {
      Value v = value(input);
      if (nchw && rank(input) != 4) {
        throw new IllegalArgumentException("cannot export " + input.op().name() + ": a "
            + rank(input) + "-D tensor broadcast against a feature map");
      }
      return nchw ? nchw(v) : tfOrder(v);
    }
    Constant c = tf.constant(input);
    // a single value broadcasts as it is, and stays the scalar that fusions look for (GELU's)
    return constant(input, nchw && c.size() > 1 ? c.withRank(4).transpose(Value.TO_TF) : c);
  }

  private void concat(GraphOperation op) {
    int parts = op.numInputs() - 1;
    long axis = tf.constant(op.input(parts)).asInts()[0];
    int rank = rank(op.output(0));
    boolean nchw = false;
    for (int i = 0; i < parts; i++) {
      nchw |= rank == 4 && tf.isDynamic(op.input(i)) && value(op.input(i)).nchw();
    }
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      inputs.add(operand(op.input(i), nchw));
    }
    long onnxAxis = new Value("", nchw).axis(axis, rank);
    define(op.output(0), new Value(onnx.node("Concat", op.name(), inputs,
        attribute("axis", onnxAxis)), nchw));
  }

  /** Split and SplitV: equal parts, or the given sizes (one of them may be -1: the rest). */
  private void split(GraphOperation op, Output<?> input, long axis, long[] sizes) {
    Value x = value(input);
    int rank = rank(input);
    long length = input.shape().get((int) (axis < 0 ? axis + rank : axis));
    int parts = op.numOutputs();
    long[] split = sizes != null ? sizes.clone() : new long[parts];
    if (sizes == null) {
      Arrays.fill(split, length / parts);
    }
    long known = 0;
    int rest = -1;
    for (int i = 0; i < parts; i++) {
      if (split[i] < 0) {
        rest = i;
      } else {
        known += split[i];
      }
    }
    if (rest >= 0) {
      split[rest] = length - known;
    }
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      outputs.add(onnx.fresh(op.name() + ":" + i));
      define(op.output(i), new Value(outputs.get(i), x.nchw()));
    }
    onnx.node("Split", op.name(), List.of(x.name(), onnx.ints(op.name() + "/split", split)),
        outputs, attribute("axis", (long) x.axis(axis, rank)));
  }

  /** A transpose; of an NCHW value, the permutation that gives the NCHW form of the result. */
  private void transpose(GraphOperation op) {
    Value x = value(op.input(0));
    long[] perm = tf.constant(op.input(1)).asInts();
    long[] onnxPerm = new long[perm.length];
    for (int i = 0; i < perm.length; i++) {
      onnxPerm[i] = x.nchw() ? Value.TO_ONNX[(int) perm[Value.TO_TF[i]]] : perm[i];
    }
    define(op.output(0), new Value(onnx.node("Transpose", op.name(), List.of(x.name()),
        attribute("perm", onnxPerm)), x.nchw()));
  }

  /**
   * A reshape works on TensorFlow's element order: an NCHW input goes back to NHWC first unless
   * its height and width are 1 (then both orders are one). A 4-D result of height and width 1 (a
   * squeezed gate) is made NCHW directly.
   */
  private void reshape(GraphOperation op) {
    Value x = value(op.input(0));
    long[] target = tf.constant(op.input(1)).asInts();
    String input = x.nchw() && !unitSpatial(op.input(0).shape().asArray()) ? tfOrder(x) : x.name();
    boolean nchw = target.length == 4 && target[1] == 1 && target[2] == 1;
    long[] shape = nchw ? new long[] {target[0], target[3], 1, 1} : target;
    define(op.output(0), new Value(onnx.node("Reshape", op.name(),
        List.of(input, onnx.ints(op.name() + "/shape", shape))), nchw));
  }

  private static boolean unitSpatial(long[] shape) {
    return shape.length == 4 && shape[1] == 1 && shape[2] == 1;
  }

  /**
   * Mean, Max and Sum over axes. Without kept dimensions an NCHW input is reduced in place only
   * when the axes left are in TensorFlow's order (as for a global pool, {@code [N, C]}).
   */
  private void reduce(GraphOperation op, String onnxOp) {
    Value x = value(op.input(0));
    int rank = rank(op.input(0));
    long[] tfAxes = tf.constant(op.input(1)).asInts();
    boolean keep = op.attributes().getAttrBool("keep_dims");
    boolean inPlace = !x.nchw() || keep || keepsOrder(tfAxes, rank);
    Value source = inPlace ? x : new Value(tfOrder(x), false);
    long[] axes = new long[tfAxes.length];
    for (int i = 0; i < axes.length; i++) {
      axes[i] = source.axis(tfAxes[i], rank);
    }
    String y = onnxOp.equals("ReduceSum")
        ? onnx.node(onnxOp, op.name(), List.of(source.name(), onnx.ints(op.name() + "/axes", axes)),
            attribute("keepdims", keep ? 1L : 0L))
        : onnx.node(onnxOp, op.name(), List.of(source.name()), attribute("axes", axes),
            attribute("keepdims", keep ? 1L : 0L));
    define(op.output(0), new Value(y, source.nchw() && keep));
  }

  /** Whether the axes an NCHW reduction leaves are in TensorFlow's order. */
  private static boolean keepsOrder(long[] tfAxes, int rank) {
    List<Integer> tfLeft = new ArrayList<>();
    List<Integer> onnxLeft = new ArrayList<>();
    for (int a = 0; a < rank; a++) {
      final int axis = a;
      if (Arrays.stream(tfAxes).noneMatch(t -> (t < 0 ? t + rank : t) == axis)) {
        tfLeft.add(axis);
      }
      int tfAxis = Value.TO_TF[a];
      if (Arrays.stream(tfAxes).noneMatch(t -> (t < 0 ? t + rank : t) == tfAxis)) {
        onnxLeft.add(tfAxis);
      }
    }
    return tfLeft.equals(onnxLeft);
  }

  /** A hard sigmoid or hard swish as one {@code HardSigmoid} or {@code HardSwish}. */
  private void hardSigmoid(HardSigmoidPattern hard) {
    Value x = value(hard.input());
    String y = hard.swish()
        ? onnx.node("HardSwish", hard.output().op().name(), List.of(x.name()))
        : onnx.node("HardSigmoid", hard.output().op().name(), List.of(x.name()),
            attribute("alpha", 1f / 6), attribute("beta", 0.5f));
    absorbed.addAll(hard.inner());
    define(hard.output(), new Value(y, x.nchw()));
  }

  /**
   * A layer norm over the last axis as one {@code LayerNormalization}. ONNX normalizes trailing
   * axes, so an NCHW map goes back to channels last first and the result stays there: the
   * convolution after it (ConvNeXt's first pointwise one) transposes it back, as PyTorch's own
   * export of ConvNeXt does around its {@code LayerNorm2d}.
   */
  private void layerNorm(LayerNormPattern norm) {
    String x = tfOrder(value(norm.input()));
    String weight = constant(norm.weight(), tf.constant(norm.weight()));
    String bias = constant(norm.bias(), tf.constant(norm.bias()));
    String y = onnx.node("LayerNormalization", norm.output().op().name(),
        List.of(x, weight, bias), attribute("axis", -1L), attribute("epsilon", norm.epsilon()));
    absorbed.addAll(norm.inner());
    define(norm.output(), new Value(y, false));
  }

  private void matMul(GraphOperation op) {
    if (op.attributes().getAttrBool("transpose_a")) {
      throw new IllegalArgumentException("cannot export " + op.name() + ": a transposed left "
          + "operand");
    }
    String x = operand(op.input(0), false);
    Output<?> weight = op.input(1);
    if (tf.isDynamic(weight)) {
      throw new IllegalArgumentException("cannot export " + op.name() + ": a product of two "
          + "input-dependent tensors");
    }
    Constant c = tf.constant(weight);
    String w = constant(weight,
        op.attributes().getAttrBool("transpose_b") ? c.transpose(new int[] {1, 0}) : c);
    define(op.output(0), new Value(onnx.node("MatMul", op.name(), List.of(x, w)), false));
  }

  static int rank(Output<?> tensor) {
    int rank = tensor.shape().numDimensions();
    if (rank < 0) {
      throw new IllegalArgumentException("cannot export " + tensor.op().name()
          + ": its rank is unknown");
    }
    return rank;
  }
}
