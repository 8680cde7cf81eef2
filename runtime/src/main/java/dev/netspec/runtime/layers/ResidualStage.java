package dev.netspec.runtime.layers;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A ResNet stage: {@code blocks} residual blocks named {@code 0}, {@code 1}, …, the first with
 * {@code stride}, with torchvision's layout and names.
 *
 * <ul>
 *   <li>Bottleneck: {@code conv1} 1×1 to width = planes · baseWidth / 64 · groups, {@code bn1},
 *       act, {@code conv2} 3×3 (stride, groups), {@code bn2}, act, {@code conv3} 1×1 to planes ·
 *       4, {@code bn3}. Basic: {@code conv1} 3×3 (stride), {@code bn1}, act, {@code conv2} 3×3,
 *       {@code bn2}.
 *   <li>Shortcut when the stride is not 1 or the channels change: {@code downsample.0} 1×1 conv
 *       (stride) + {@code downsample.1} BN; with {@link #avgDownsample(boolean)} (ResNet-D,
 *       timm's {@code avg_down}): {@code downsample.0} 2×2 average pool (stride, ceil mode, padding
 *       not counted; only when the stride is over 1), {@code downsample.1} 1×1 conv, {@code
 *       downsample.2} BN.
 *   <li>Output: act(residual + shortcut), then dropout.
 *   <li>{@link #preact(boolean)}: the pre-activation block of He et al. 2016: {@code bn1}-act-
 *       {@code conv1}, {@code bn2}-act-{@code conv2} (, {@code bn3}-act-{@code conv3}); the
 *       projection is a bare 1×1 conv {@code downsample.0} applied to the first BN-act's output;
 *       output residual + shortcut, no activation after the add.
 * </ul>
 *
 * <p>Modifiers, on every block:
 *
 * <ul>
 *   <li>{@link #squeezeExcite}: a {@link SqueezeExcite} gate (scope {@code se}) on the residual
 *       branch before the add, as timm's SE-ResNets (and pre-activation SENets).
 *   <li>{@link #selectiveKernel}: a {@link SelectiveKernelConv} (scope {@code conv2} of a
 *       bottleneck, {@code conv1} of a basic block, as timm's SKNets) instead of that 3×3
 *       conv-BN-act; post-activation blocks only.
 *   <li>{@link #splitAttention}: a {@link SplitAttentionConv} (scope {@code conv2}) instead of the
 *       bottleneck's 3×3 conv-BN-act, at stride 1, followed in strided blocks by a 3×3 average pool
 *       (padding 1, counted) carrying the stride (timm's {@code avd_last}); post-activation
 *       bottlenecks only.
 * </ul>
 *
 * <p>Convolutions have no bias; activations are the network's default, in scopes {@code act1},
 * {@code act2}, {@code act3} (they only hold variables for PReLU).
 */
public record ResidualStage(
    int blocks,
    int planes,
    boolean bottleneck,
    int stride,
    int groups,
    int baseWidth,
    boolean preact,
    float dropout,
    boolean avgDownsample,
    SqueezeExcite squeezeExcite,
    SelectiveKernelConv selectiveKernel,
    SplitAttentionConv splitAttention) {

  public ResidualStage {
    ConvUnit.check(blocks >= 1, "blocks must be >= 1, got " + blocks);
    ConvUnit.check(planes >= 1, "planes must be >= 1, got " + planes);
    ConvUnit.check(stride >= 1, "stride must be >= 1, got " + stride);
    ConvUnit.check(groups >= 1, "groups must be >= 1, got " + groups);
    ConvUnit.check(baseWidth >= 1, "baseWidth must be >= 1, got " + baseWidth);
    ConvUnit.check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
    ConvUnit.check(bottleneck || (groups == 1 && baseWidth == 64),
        "a basic block supports only groups = 1 and baseWidth = 64 (as torchvision's BasicBlock),"
            + " got groups = " + groups + ", baseWidth = " + baseWidth);
    ConvUnit.check(!bottleneck || planes * baseWidth / 64 >= 1,
        "planes · baseWidth / 64 leaves no channels: planes = " + planes + ", baseWidth = "
            + baseWidth);
    ConvUnit.check(selectiveKernel == null || splitAttention == null,
        "a block's 3×3 convolution is either a selective kernel or split attention, not both");
    ConvUnit.check(!preact || (selectiveKernel == null && splitAttention == null),
        "selective kernels and split attention replace a post-activation block's 3×3"
            + " conv-BN-act; pre-activation blocks have none");
    ConvUnit.check(splitAttention == null || bottleneck,
        "split attention modifies bottleneck blocks (ResNeSt), not basic ones");
    ConvUnit.check(selectiveKernel == null || groups == 1 || groups == selectiveKernel.groups(),
        "selective kernel groups " + (selectiveKernel == null ? 0 : selectiveKernel.groups())
            + " differ from the block's groups " + groups);
    ConvUnit.check(splitAttention == null || groups == 1 || groups == splitAttention.cardinality(),
        "split attention cardinality " + (splitAttention == null ? 0 : splitAttention.cardinality())
            + " differs from the block's groups " + groups);
  }

  /** Bottleneck blocks (expansion 4), stride 1, groups 1, base width 64. */
  public static ResidualStage bottleneck(int blocks, int planes) {
    return new ResidualStage(blocks, planes, true, 1, 1, 64, false, 0f, false, null, null, null);
  }

  /** Basic blocks (two 3×3 convolutions, expansion 1), stride 1. */
  public static ResidualStage basic(int blocks, int planes) {
    return new ResidualStage(blocks, planes, false, 1, 1, 64, false, 0f, false, null, null, null);
  }

  public ResidualStage stride(int stride) {
    return new ResidualStage(blocks, planes, bottleneck, stride, groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite, selectiveKernel, splitAttention);
  }

  public ResidualStage groups(int groups) {
    return new ResidualStage(blocks, planes, bottleneck, stride, groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite, selectiveKernel, splitAttention);
  }

  public ResidualStage baseWidth(int baseWidth) {
    return new ResidualStage(blocks, planes, bottleneck, stride, groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite, selectiveKernel, splitAttention);
  }

  public ResidualStage preact(boolean preact) {
    return new ResidualStage(blocks, planes, bottleneck, stride, groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite, selectiveKernel, splitAttention);
  }

  public ResidualStage dropout(float dropout) {
    return new ResidualStage(blocks, planes, bottleneck, stride, groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite, selectiveKernel, splitAttention);
  }

  public ResidualStage avgDownsample(boolean avgDownsample) {
    return new ResidualStage(blocks, planes, bottleneck, stride, groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite, selectiveKernel, splitAttention);
  }

  /** A squeeze-and-excitation gate on every block's residual branch, before the add. */
  public ResidualStage squeezeExcite(SqueezeExcite squeezeExcite) {
    return new ResidualStage(blocks, planes, bottleneck, stride, groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite, selectiveKernel, splitAttention);
  }

  /** A selective kernel unit in place of every block's (first) 3×3 conv-BN-act. */
  public ResidualStage selectiveKernel(int branches, int groups, int reduction, int minDim) {
    return new ResidualStage(blocks, planes, bottleneck, stride, this.groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite,
        new SelectiveKernelConv(branches, groups, reduction, minDim), splitAttention);
  }

  /** Split attention (with 'avd' pooling in strided blocks) in place of the bottleneck's 3×3. */
  public ResidualStage splitAttention(int radix, int cardinality, int reduction) {
    return new ResidualStage(blocks, planes, bottleneck, stride, groups, baseWidth, preact,
        dropout, avgDownsample, squeezeExcite, selectiveKernel,
        new SplitAttentionConv(radix, cardinality, reduction));
  }

  /** Output channels: planes · 4 for bottleneck blocks, planes for basic ones. */
  public int outputChannels() {
    return bottleneck ? planes * 4 : planes;
  }

  /** The width of a bottleneck block's 3×3 convolution. */
  public int width() {
    return bottleneck ? planes * baseWidth / 64 * groups : planes;
  }

  public Operand<TFloat32> apply(Layers scope, Operand<TFloat32> x) {
    Operand<TFloat32> y = x;
    for (int i = 0; i < blocks; i++) {
      Layers block = scope.in(Integer.toString(i));
      int s = i == 0 ? stride : 1;
      y = preact ? preactBlock(block, y, s) : block(block, y, s);
      y = block.dropout(y, dropout);
    }
    return y;
  }

  private Operand<TFloat32> block(Layers b, Operand<TFloat32> x, int s) {
    boolean project = s != 1 || Tensors.channels(x, "residual block") != outputChannels();
    Operand<TFloat32> y;
    String lastAct;
    if (bottleneck) {
      y = conv(b, "conv1", x, width(), 1, 1, 1);
      y = normAct(b, "1", y);
      y = bottleneckKernel(b, y, s);
      y = conv(b, "conv3", y, outputChannels(), 1, 1, 1);
      y = norm(b, "bn3", y);
      lastAct = "act3";
    } else {
      if (selectiveKernel != null) {
        y = selectiveKernel.apply(b.in("conv1"), x, planes, s);
      } else {
        y = conv(b, "conv1", x, planes, 3, s, 1);
        y = normAct(b, "1", y);
      }
      y = conv(b, "conv2", y, planes, 3, 1, 1);
      y = norm(b, "bn2", y);
      lastAct = "act2";
    }
    y = excite(b, y);
    Operand<TFloat32> shortcut = x;
    if (project) {
      Layers down = b.in("downsample");
      if (avgDownsample) {
        shortcut = s > 1 ? down.in("0").pool(x, Pooling.AVG, 2, s, 0, true, false) : x;
        shortcut = conv(down, "1", shortcut, outputChannels(), 1, 1, 1);
        shortcut = norm(down, "2", shortcut);
      } else {
        shortcut = conv(down, "0", x, outputChannels(), 1, s, 1);
        shortcut = norm(down, "1", shortcut);
      }
    }
    return b.in(lastAct).activation(b.tf().math.add(y, shortcut), b.activation());
  }

  /** The bottleneck's 3×3 conv-BN-act at stride {@code s}, or the unit a modifier puts there. */
  private Operand<TFloat32> bottleneckKernel(Layers b, Operand<TFloat32> y, int s) {
    if (selectiveKernel != null) {
      return selectiveKernel.apply(b.in("conv2"), y, width(), s);
    }
    if (splitAttention != null) {
      Operand<TFloat32> z = splitAttention.apply(b.in("conv2"), y, width(), 1);
      return s > 1 ? b.in("avd_last").pool(z, Pooling.AVG, 3, s, 1, false, true) : z;
    }
    return normAct(b, "2", conv(b, "conv2", y, width(), 3, s, groups));
  }

  /** The residual branch scaled by its squeeze-and-excitation gate, if the stage has one. */
  private Operand<TFloat32> excite(Layers b, Operand<TFloat32> y) {
    return squeezeExcite == null ? y : squeezeExcite.apply(b.in("se"), y);
  }

  private Operand<TFloat32> preactBlock(Layers b, Operand<TFloat32> x, int s) {
    boolean project = s != 1 || Tensors.channels(x, "residual block") != outputChannels();
    Operand<TFloat32> pre = normAct(b, "1", x);
    Operand<TFloat32> shortcut = x;
    if (project) {
      Layers down = b.in("downsample");
      if (avgDownsample) {
        shortcut = s > 1 ? down.in("0").pool(pre, Pooling.AVG, 2, s, 0, true, false) : pre;
        shortcut = conv(down, "1", shortcut, outputChannels(), 1, 1, 1);
      } else {
        shortcut = conv(down, "0", pre, outputChannels(), 1, s, 1);
      }
    }
    Operand<TFloat32> y;
    if (bottleneck) {
      y = conv(b, "conv1", pre, width(), 1, 1, 1);
      y = normAct(b, "2", y);
      y = conv(b, "conv2", y, width(), 3, s, groups);
      y = normAct(b, "3", y);
      y = conv(b, "conv3", y, outputChannels(), 1, 1, 1);
    } else {
      y = conv(b, "conv1", pre, planes, 3, s, 1);
      y = normAct(b, "2", y);
      y = conv(b, "conv2", y, planes, 3, 1, 1);
    }
    return b.tf().math.add(excite(b, y), shortcut);
  }

  private static Operand<TFloat32> conv(Layers b, String name, Operand<TFloat32> x, int channels,
      int kernel, int stride, int groups) {
    return b.in(name).conv(x, channels, kernel, stride, kernel / 2, 1, groups, false);
  }

  private static Operand<TFloat32> norm(Layers b, String name, Operand<TFloat32> x) {
    return b.in(name).batchNorm(x, b.epsilon(), ConvUnit.MOMENTUM);
  }

  /** {@code bn<i>} then {@code act<i>}. */
  private static Operand<TFloat32> normAct(Layers b, String index, Operand<TFloat32> x) {
    return b.in("act" + index).activation(norm(b, "bn" + index, x), b.activation());
  }
}
