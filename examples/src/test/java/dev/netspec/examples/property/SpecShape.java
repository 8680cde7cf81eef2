package dev.netspec.examples.property;

/**
 * What the generator knows of a stage's output for the concrete image it will run: enough to
 * write the next stage so that the spec stays valid (groups that divide the channels, windows that
 * fit). The stride is the product of the strides the spec declares up to here, 0 once flat.
 */
record SpecShape(int channels, int height, int width, int stride, boolean flat) {

  static SpecShape image(int channels, int height, int width) {
    return new SpecShape(channels, height, width, 1, false);
  }

  int smallerSide() {
    return Math.min(height, width);
  }

  SpecShape withChannels(int newChannels) {
    return new SpecShape(newChannels, height, width, stride, flat);
  }

  /** After a window of {@code span} pixels (kernel with dilation), padded, at {@code step}. */
  SpecShape windowed(int span, int padding, int step, boolean ceil) {
    return new SpecShape(channels, side(height, span, padding, step, ceil),
        side(width, span, padding, step, ceil), stride * step, false);
  }

  /** Flat features: after a global pool, a flatten or a linear layer. */
  SpecShape flattened(int features) {
    return new SpecShape(features, 1, 1, 0, true);
  }

  /**
   * PyTorch's output side: floor, or in ceil mode rounded up unless the last window would start
   * in the right padding.
   */
  private static int side(int in, int span, int padding, int step, boolean ceil) {
    int room = in + 2 * padding - span;
    int out = (ceil ? Math.floorDiv(room + step - 1, step) : Math.floorDiv(room, step)) + 1;
    if (ceil && (out - 1) * step >= in + padding) {
      out--;
    }
    return out;
  }
}
