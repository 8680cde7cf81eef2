package dev.netspec.spark;

import dev.netspec.runtime.data.Dataset;
import dev.netspec.runtime.data.Image;
import dev.netspec.runtime.data.SyntheticShapes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/** A folder of synthetic PNGs in subfolders, with files that cannot be scored among them. */
final class SyntheticImages {
  private SyntheticImages() {}

  /**
   * Writes {@code count} 32 × 32 RGB shapes as PNGs, spread over {@code folders} subfolders of
   * {@code root}.
   */
  static List<Path> write(Path root, int count, int folders) throws IOException {
    Dataset shapes = SyntheticShapes.generate(7, count, 1, 32).train();
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Path folder = Files.createDirectories(root.resolve("part" + i % folders));
      Path file = folder.resolve(String.format("shape%05d.png", i));
      ImageIO.write(picture(shapes.image(i)), "png", file.toFile());
      files.add(file);
    }
    return files;
  }

  /**
   * Files under {@code root} that look like images but cannot be scored: a truncated PNG, bytes
   * that are no image, an empty JPEG and a grayscale PNG for an RGB network.
   */
  static List<Path> writeBroken(Path root, Path goodPng) throws IOException {
    Path folder = Files.createDirectories(root.resolve("broken"));
    byte[] good = Files.readAllBytes(goodPng);
    byte[] noise = new byte[300];
    new java.util.Random(3).nextBytes(noise);
    BufferedImage gray = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
    Path grayFile = folder.resolve("gray.png");
    ImageIO.write(gray, "png", grayFile.toFile());
    return List.of(
        Files.write(folder.resolve("truncated.png"), Arrays.copyOf(good, good.length / 2)),
        Files.write(folder.resolve("noise.PNG"), noise),
        Files.write(folder.resolve("empty.jpg"), new byte[0]),
        grayFile);
  }

  static BufferedImage picture(Image image) {
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

  static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
