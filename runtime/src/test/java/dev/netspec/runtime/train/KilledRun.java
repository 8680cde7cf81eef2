package dev.netspec.runtime.train;

import dev.netspec.runtime.data.DataSource;
import dev.netspec.runtime.data.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The run that {@link CrashConsistencyTest} kills: ShapesNet, two epochs on an image folder of
 * {@link ColorClasses} (learnt fast enough that the second epoch is the better one), keeping one
 * epoch checkpoint besides the best. As a main class, it runs in a JVM of its own that {@code
 * -Dnetspec.faultInjection.killAt} halts.
 */
public final class KilledRun {
  static final int EPOCHS = 2;

  private KilledRun() {}

  /** Writes the images under {@code root} ({@code train/} and {@code val/}). */
  static DataSource writeData(Path root) throws IOException {
    write(root.resolve("train"), new ColorClasses(320, 1));
    write(root.resolve("val"), new ColorClasses(160, 2));
    return data(root);
  }

  private static DataSource data(Path root) {
    return new DataSource(DataSource.Kind.FOLDER, root, 1, 0, 0, 0.1);
  }

  private static void write(Path split, ColorClasses data) throws IOException {
    for (int i = 0; i < data.size(); i++) {
      Image image = data.image(i);
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
      Path folder = Files.createDirectories(split.resolve(data.classNames().get(data.label(i))));
      ImageIO.write(picture, "png", folder.resolve(i + ".png").toFile());
    }
  }

  static TrainingConfig config() {
    return new TrainingConfig(EPOCHS, 32, Optimizer.sgd(0.9, true),
        new Schedule.Warmup(new Schedule.Cosine(0.05, 0), 0.5), 5e-4, false, 0.1, 11, 1);
  }

  static Trainer.Options options(Path folder) {
    return new Trainer.Options(folder, 1, 16);
  }

  static Trainer.Result train(Path folder, Path data, Trainer.Listener listener) {
    return Trainer.train(ShapesNet.DESCRIPTOR, data(data), config(), options(folder), listener);
  }

  /** Trains into the folder {@code args[0]} on the images {@link #writeData} left in {@code args[1]}. */
  public static void main(String[] args) {
    train(Path.of(args[0]), Path.of(args[1]), null);
  }
}
