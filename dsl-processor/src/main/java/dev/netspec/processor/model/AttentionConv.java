package dev.netspec.processor.model;

import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.Graph;
import java.util.List;

/**
 * What a modifier turns a residual block's 3×3 convolution (with its BatchNorm and activation)
 * into: a selective kernel unit or a split-attention convolution.
 */
public sealed interface AttentionConv permits SelectiveKernel, SplitAttention {

  /** The modifier's annotation name without '@'. */
  String kind();

  /**
   * The rules for a unit from {@code in} to {@code out} channels in a block whose
   * {@code @Residual(groups)} is {@code residualGroups}.
   */
  List<Problem> check(int in, int out, int residualGroups);

  /** The rules of the unit's own settings, whatever the block: part of {@link #check}. */
  List<Problem> checkSettings();

  /**
   * The unit in {@code scope} on {@code x}, to {@code channels} at {@code stride}, with the
   * network's activation {@code act}; returns its output.
   */
  int expand(Graph.Builder g, String scope, int x, int channels, int stride, Act act);
}
