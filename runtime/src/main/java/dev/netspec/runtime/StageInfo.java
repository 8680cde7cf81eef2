package dev.netspec.runtime;

import java.util.List;

/**
 * One stage of a generated network as the processor computed it: its output shape, parameters
 * and multiply-accumulates. Generated classes list theirs in {@code STAGES}.
 *
 * @param kind the stage annotation's name without '@', "DualPath", for tables; nothing reads
 *     more into it
 * @param linear whether the stage ends in a fully connected layer (a {@code @Classifier}, a
 *     {@code @Dense}, a user's block ending in one): the stages from the last such one on are the
 *     head a weight import may replace
 * @param height output height, -1 when known only at run time (1 once flat)
 * @param width output width, -1 when known only at run time (1 once flat)
 * @param stride total stride from the input; 0 once flat
 * @param macs multiply-accumulates for one image, -1 when the size is dynamic
 * @param description the kind with what sets the stage apart, for tables: "DualPath res 256 +
 *     dense 80"; the kind's label where nothing does
 */
public record StageInfo(
    String name, String kind, boolean linear, int height, int width, int channels, int stride,
    boolean flat, long parameters, long macs, String description) {

  /** A stage whose kind says it all: the description is the kind. */
  public StageInfo(String name, String kind, boolean linear, int height, int width, int channels,
      int stride, boolean flat, long parameters, long macs) {
    this(name, kind, linear, height, width, channels, stride, flat, parameters, macs, kind);
  }

  /** The position of the stage named {@code name}. */
  public static int indexOf(List<StageInfo> stages, String name) {
    for (int i = 0; i < stages.size(); i++) {
      if (stages.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no stage '" + name + "'; the stages are "
        + String.join(", ", stages.stream().map(StageInfo::name).toList()));
  }

  /** "56x56x256", "?x?x256" or "1000" when flat. */
  public String shape() {
    if (flat) {
      return Integer.toString(channels);
    }
    return side(height) + "x" + side(width) + "x" + channels;
  }

  private static String side(int size) {
    return size < 0 ? "?" : Integer.toString(size);
  }
}
