package dev.netspec.processor.ir;

/**
 * The shape of a stage's output for one image: channels (or flat features), the total stride
 * from the input, and the spatial size, -1 where known only at run time.
 */
public record TensorShape(int channels, int stride, int height, int width, boolean flat) {
  public static final int DYNAMIC = -1;

  public static TensorShape image(int channels, int height, int width) {
    return new TensorShape(channels, 1, height, width, false);
  }

  public static TensorShape flat(int features) {
    return new TensorShape(features, 0, 1, 1, true);
  }

  public boolean fixed() {
    return height != DYNAMIC && width != DYNAMIC;
  }

  public TensorShape withChannels(int newChannels) {
    return new TensorShape(newChannels, stride, height, width, flat);
  }

  /** Spatial size after a window of {@code kernel} at {@code stride}: the size changes, the channels stay. */
  public TensorShape resized(int newHeight, int newWidth, int factor) {
    return new TensorShape(channels, stride * factor, newHeight, newWidth, false);
  }

  /** Height × width, or -1 when either is dynamic. */
  public long area() {
    return fixed() ? (long) height * width : DYNAMIC;
  }

  /** "56x56x256", "?x?x256" or "1000" (flat). */
  public String describe() {
    if (flat) {
      return Integer.toString(channels);
    }
    return side(height) + "x" + side(width) + "x" + channels;
  }

  private static String side(int size) {
    return size == DYNAMIC ? "?" : Integer.toString(size);
  }
}
