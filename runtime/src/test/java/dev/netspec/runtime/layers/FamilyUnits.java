package dev.netspec.runtime.layers;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * The built-in families' units written with the op library's primitives, as generated code calls
 * them, with PyTorch's and timm's variable names: for tests of their semantics that build them
 * without the processor.
 */
public final class FamilyUnits {
  private FamilyUnits() {}

  /** {@code conv}, {@code bn}, {@code act} in {@code scope}: padding {@code dilation·(k-1)/2}. */
  public static Operand<TFloat32> convBnAct(Layers scope, Operand<TFloat32> x, int channels, int kernel,
      int stride, int dilation, int groups, Nonlinearity act) {
    Operand<TFloat32> y = scope.in("conv").conv(x, channels, kernel, stride,
        dilation * (kernel - 1) / 2, dilation, groups, false);
    return scope.in("act").activation(scope.in("bn").batchNorm(y), act);
  }

  /** {@code bn}, {@code act}, {@code conv} in {@code scope}: a pre-activation unit. */
  public static Operand<TFloat32> bnActConv(Layers scope, Operand<TFloat32> x, int channels, int kernel,
      int stride, int groups) {
    Operand<TFloat32> y = scope.in("act").activation(scope.in("bn").batchNorm(x),
        scope.activation());
    return scope.in("conv").conv(y, channels, kernel, stride, kernel / 2, 1, groups, false);
  }

  /** Global average pool and a linear layer with bias, its variables in {@code scope}. */
  public static Operand<TFloat32> classifier(Layers scope, Operand<TFloat32> x, int classes) {
    return classifier(scope, x, classes, 0);
  }

  /** Global average pool, dropout and a linear layer with bias, its variables in {@code scope}. */
  public static Operand<TFloat32> classifier(Layers scope, Operand<TFloat32> x, int classes,
      float dropout) {
    return scope.linear(scope.dropout(scope.globalPool(x, Pooling.AVG), dropout), classes, true);
  }

  /** timm's {@code SEModule}: {@code fc1} to {@code hidden} and {@code fc2}, with biases. */
  public static Operand<TFloat32> squeezeExcite(Layers scope, Operand<TFloat32> x, int hidden) {
    int channels = Math.toIntExact(x.shape().get(3));
    Operand<TFloat32> s = scope.globalPool(x, Pooling.AVG, true);
    s = scope.in("fc1").conv(s, hidden, 1, 1, 0, 1, 1, true);
    s = scope.in("relu").activation(s, Nonlinearity.RELU);
    s = scope.in("fc2").conv(s, channels, 1, 1, 0, 1, 1, true);
    return scope.gate(x, scope.in("sigmoid").activation(s, Nonlinearity.SIGMOID));
  }

  /**
   * timm's {@code SelectiveKernel} without input split: paths of dilation 1, 2, …, an attention
   * of {@code attention} channels.
   */
  public static Operand<TFloat32> selectiveKernel(Layers scope, Operand<TFloat32> x, int channels,
      int stride, int branches, int groups, int attention) {
    List<Operand<TFloat32>> paths = new ArrayList<>();
    for (int b = 0; b < branches; b++) {
      Layers path = scope.in("paths").in(Integer.toString(b));
      Operand<TFloat32> y =
          path.in("conv").conv(x, channels, 3, stride, b + 1, b + 1, groups, false);
      paths.add(path.in("act").activation(path.in("bn").batchNorm(y), scope.activation()));
    }
    Layers attn = scope.in("attn");
    Operand<TFloat32> z = attn.globalPool(Tensors.sum(scope.tf(), paths), Pooling.AVG,
        true);
    z = attn.in("fc_reduce").conv(z, attention, 1, 1, 0, 1, 1, false);
    z = attn.in("relu").activation(attn.in("bn").batchNorm(z), Nonlinearity.RELU);
    z = attn.in("fc_select").conv(z, channels * branches, 1, 1, 0, 1, 1, false);
    return scope.weightedSum(paths, attn.radixSoftmax(z, branches, 1));
  }

  /** timm's {@code SplitAttn}, with an attention of {@code attention} channels. */
  public static Operand<TFloat32> splitAttention(Layers scope, Operand<TFloat32> x, int channels,
      int stride, int radix, int cardinality, int attention) {
    int mid = channels * radix;
    Operand<TFloat32> y = scope.in("conv").conv(x, mid, 3, stride, 1, 1, radix * cardinality,
        false);
    y = scope.in("relu0").activation(scope.in("bn0").batchNorm(y), Nonlinearity.RELU);
    int[] sizes = new int[radix];
    java.util.Arrays.fill(sizes, channels);
    List<Operand<TFloat32>> splits = radix == 1 ? List.of(y) : scope.split(y, sizes);
    Operand<TFloat32> z = radix == 1 ? y : Tensors.sum(scope.tf(), splits);
    z = scope.globalPool(z, Pooling.AVG, true);
    z = scope.in("fc1").conv(z, attention, 1, 1, 0, 1, cardinality, true);
    z = scope.in("relu1").activation(scope.in("bn1").batchNorm(z), Nonlinearity.RELU);
    z = scope.in("fc2").conv(z, mid, 1, 1, 0, 1, cardinality, true);
    if (radix == 1) {
      return scope.gate(y, scope.in("sigmoid").activation(z, Nonlinearity.SIGMOID));
    }
    return scope.weightedSum(splits, scope.radixSoftmax(z, radix, cardinality));
  }

  /**
   * timm's DPN blocks {@code 1}, {@code 2}, …: the first projects its input; each adds to the
   * residual path and grows the dense path; {@code seHidden} 0 for no gate.
   */
  public static Operand<TFloat32> dualPath(Layers scope, Operand<TFloat32> x, int blocks, int width,
      int inc, int r, int groups, int stride, int seHidden) {
    Layers first = scope.in("1");
    List<Operand<TFloat32>> projected = first.split(bnActConv(
        first.in(stride == 1 ? "c1x1_w_s1" : "c1x1_w_s2"), x, width + 2 * inc, 1, stride, 1),
        width, 2 * inc);
    Operand<TFloat32> residual = projected.get(0);
    Operand<TFloat32> dense = projected.get(1);
    Operand<TFloat32> in = x;
    for (int i = 1; i <= blocks; i++) {
      Layers block = scope.in(Integer.toString(i));
      Operand<TFloat32> y = bnActConv(block.in("c1x1_a"), in, r, 1, 1, 1);
      y = bnActConv(block.in("c3x3_b"), y, r, 3, i == 1 ? stride : 1, groups);
      List<Operand<TFloat32>> out = block.split(bnActConv(block.in("c1x1_c"), y, width + inc, 1,
          1, 1), width, inc);
      Operand<TFloat32> part = seHidden > 0
          ? squeezeExcite(block.in("se"), out.get(0), seHidden) : out.get(0);
      residual = block.add(residual, part);
      dense = block.concat(dense, out.get(1));
      in = block.concat(residual, dense);
    }
    return in;
  }

  /**
   * torchvision's dense layers {@code denselayer1}, … on the dense block's kernel: {@code norm1},
   * {@code act1}, {@code conv1} (1×1 to {@code bottleneck · growth}, or 3×3 to {@code growth}
   * without a bottleneck), {@code norm2}, {@code act2}, {@code conv2}; {@code seHidden} 0 for no
   * gate on the new features.
   */
  public static Operand<TFloat32> denseBlock(Layers scope, Operand<TFloat32> x, int growth, int layers,
      int bottleneck, int seHidden) {
    DenseFeatures features = DenseFeatures.of(scope, x, scope.activation());
    for (int i = 1; i <= layers; i++) {
      Layers layer = scope.in("denselayer" + i);
      Operand<TFloat32> y = features.unit(layer.in("norm1"), layer.in("act1"), layer.in("conv1"),
          bottleneck > 0 ? bottleneck * growth : growth, bottleneck > 0 ? 1 : 3);
      if (bottleneck > 0) {
        y = features.unit(y, layer.in("norm2"), layer.in("act2"), layer.in("conv2"), growth, 3);
      }
      if (seHidden > 0) {
        y = squeezeExcite(layer.in("se"), y, seHidden);
      }
      features = features.concat(y);
    }
    return features.output();
  }

  /** torchvision's bottleneck blocks, the first with stride and a 1×1 projection. */
  public static Operand<TFloat32> bottlenecks(Layers scope, Operand<TFloat32> x, int blocks, int planes,
      int stride) {
    Operand<TFloat32> y = x;
    for (int i = 0; i < blocks; i++) {
      Layers b = scope.in(Integer.toString(i));
      int s = i == 0 ? stride : 1;
      Operand<TFloat32> z = b.in("conv1").conv(y, planes, 1, 1, 0, 1, 1, false);
      z = b.in("act1").activation(b.in("bn1").batchNorm(z), b.activation());
      z = b.in("conv2").conv(z, planes, 3, s, 1, 1, 1, false);
      z = b.in("act2").activation(b.in("bn2").batchNorm(z), b.activation());
      z = b.in("bn3").batchNorm(b.in("conv3").conv(z, planes * 4, 1, 1, 0, 1, 1, false));
      Operand<TFloat32> shortcut = y;
      if (i == 0) {
        Layers down = b.in("downsample");
        shortcut = down.in("1").batchNorm(
            down.in("0").conv(y, planes * 4, 1, s, 0, 1, 1, false));
      }
      y = b.in("act3").activation(b.add(z, shortcut), b.activation());
    }
    return y;
  }
}
