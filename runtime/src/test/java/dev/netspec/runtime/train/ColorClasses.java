package dev.netspec.runtime.train;

import dev.netspec.runtime.data.Dataset;
import dev.netspec.runtime.data.Image;
import java.awt.Color;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** An easy dataset for tests that must see learning in a few steps: class k is hue k/10, noisy. */
record ColorClasses(int size, long seed) implements Dataset {
  private static final List<String> NAMES =
      IntStream.range(0, 10).mapToObj(k -> "hue" + k).toList();

  @Override
  public List<String> classNames() {
    return NAMES;
  }

  @Override
  public int channels() {
    return 3;
  }

  @Override
  public int label(int index) {
    return index % 10;
  }

  @Override
  public Image image(int index) {
    SplittableRandom random = new SplittableRandom(seed * 31 + index);
    Color color = Color.getHSBColor(label(index) / 10f, 0.8f,
        0.5f + 0.4f * (float) random.nextDouble());
    float[] rgb = color.getRGBColorComponents(null);
    float[] pixels = new float[32 * 32 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) Math.max(0, Math.min(1, rgb[i % 3] + 0.1 * random.nextGaussian()));
    }
    return new Image(32, 32, 3, pixels);
  }

  @Override
  public String describe() {
    return "colour classes, " + size + " images";
  }
}
