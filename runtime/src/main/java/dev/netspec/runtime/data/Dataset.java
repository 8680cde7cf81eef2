package dev.netspec.runtime.data;

import java.util.List;

/**
 * Labelled images, read by index. Implementations must allow {@link #image} and {@link #label}
 * from several threads at once.
 */
public interface Dataset {

  /** The number of images. */
  int size();

  /** The class names; labels index them. */
  List<String> classNames();

  default int classes() {
    return classNames().size();
  }

  /** The channels of every image (3 for RGB). */
  int channels();

  /** The class of image {@code index}. */
  int label(int index);

  /**
   * Image {@code index}, decoded.
   *
   * @throws IllegalArgumentException naming the image when it cannot be read or has other
   *     channels than {@link #channels()}
   */
  Image image(int index);

  /** "CIFAR-10 training split, 50,000 images in 10 classes from /data/cifar-10-batches-bin". */
  String describe();
}
