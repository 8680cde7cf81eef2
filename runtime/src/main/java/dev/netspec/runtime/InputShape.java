package dev.netspec.runtime;

/**
 * The images a network takes, one image {@code height x width x channels}.
 *
 * @param height -1 when known only at run time
 * @param width -1 when known only at run time
 * @param minSize the smallest height and width whose windows and strides leave a pixel
 */
public record InputShape(int channels, int height, int width, int minSize) {

  /** Whether the image size is fixed at compile time. */
  public boolean fixedSize() {
    return height > 0 && width > 0;
  }

  /** "224x224x3", or "?x?x3" where the size is known only at run time. */
  public String describe() {
    return side(height) + "x" + side(width) + "x" + channels;
  }

  private static String side(int size) {
    return size < 0 ? "?" : Integer.toString(size);
  }
}
