package dev.netspec.runtime.data;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A batch of network inputs: {@code count} images NHWC and their labels.
 *
 * @param index the batch's position in its epoch
 */
public record Batch(int index, int count, int height, int width, int channels, float[] images,
    int[] labels) {

  /** The images as an NHWC tensor; the caller closes it. */
  public TFloat32 imageTensor() {
    return TFloat32.tensorOf(Shape.of(count, height, width, channels),
        DataBuffers.of(images, true, false));
  }

  /** The labels as an int32 vector; the caller closes it. */
  public TInt32 labelTensor() {
    return TInt32.tensorOf(Shape.of(count), DataBuffers.of(labels, true, false));
  }
}
