package dev.netspec.examples.finetune;

import dev.netspec.runtime.data.DataSplits;
import dev.netspec.runtime.data.Dataset;
import dev.netspec.runtime.data.Image;
import dev.netspec.runtime.data.SyntheticShapes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * A second synthetic task: the synthetic shapes sorted into three families, round (circle, ring,
 * crescent), angular (triangle, square, pentagon, hexagon) and spiky (star, cross, arrow), written
 * as an image folder ({@code train/} and {@code val/}, a folder per family, PNG) that {@code
 * netspec train --data folder} reads.
 *
 * <p>{@code java -cp netspec.jar:test-classes dev.netspec.examples.finetune.ShapeFamilies DIR SEED
 * TRAIN VAL}
 */
public final class ShapeFamilies {
  /** The family of each of {@link SyntheticShapes#CLASSES}. */
  private static final Map<String, String> FAMILY = Map.of("circle", "round", "ring", "round",
      "crescent", "round", "triangle", "angular", "square", "angular", "pentagon", "angular",
      "hexagon", "angular", "star", "spiky", "cross", "spiky", "arrow", "spiky");

  private ShapeFamilies() {}

  public static void main(String[] args) {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: ShapeFamilies <dir> <seed> <train images> "
          + "<validation images>");
    }
    write(Path.of(args[0]), Long.parseLong(args[1]), Integer.parseInt(args[2]),
        Integer.parseInt(args[3]));
  }

  /** Draws {@code train} and {@code validation} shapes from {@code seed} into {@code dir}. */
  public static void write(Path dir, long seed, int train, int validation) {
    DataSplits shapes = SyntheticShapes.generate(seed, train, validation, 32);
    write(dir.resolve("train"), shapes.train());
    write(dir.resolve("val"), shapes.validation());
  }

  private static void write(Path dir, Dataset shapes) {
    List<String> names = shapes.classNames();
    try {
      for (int i = 0; i < shapes.size(); i++) {
        Path family = Files.createDirectories(
            dir.resolve(FAMILY.get(names.get(shapes.label(i)))));
        ImageIO.write(picture(shapes.image(i)), "png", family.resolve(i + ".png").toFile());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
    }
  }

  private static BufferedImage picture(Image image) {
    BufferedImage picture = new BufferedImage(image.width(), image.height(),
        BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          rgb = rgb << 8 | Math.round(image.get(y, x, c) * 255);
        }
        picture.setRGB(x, y, rgb);
      }
    }
    return picture;
  }
}
