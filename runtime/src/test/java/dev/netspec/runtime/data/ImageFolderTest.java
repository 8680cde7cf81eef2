package dev.netspec.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image folders written here as PNG and JPEG, resized and cropped to the network's size. */
class ImageFolderTest {
  @TempDir Path temp;

  private static void image(Path file, int width, int height, Color color, String format)
      throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    ImageIO.write(image, format, file.toFile());
  }

  @Test
  void trainAndValFoldersOfClassFoldersLoadResizeAndNormalize() throws IOException {
    image(temp.resolve("train/cat/a.png"), 40, 30, new Color(255, 0, 0), "png");
    image(temp.resolve("train/cat/b.jpg"), 64, 64, new Color(250, 10, 0), "jpg");
    image(temp.resolve("train/dog/c.png"), 20, 50, new Color(0, 0, 255), "png");
    image(temp.resolve("val/dog/d.png"), 16, 16, new Color(0, 0, 255), "png");
    Files.writeString(temp.resolve("train/cat/notes.txt"), "not an image");
    DataSplits data = ImageFolder.load(temp, 3, 0.1, 1);
    assertEquals(List.of("cat", "dog"), data.train().classNames());
    assertEquals(3, data.train().size());
    assertEquals(1, data.validation().size());
    assertEquals(1, data.validation().label(0));
    Image red = data.train().image(0);
    assertEquals("30x40x3", red.shape());
    assertEquals(1f, red.get(3, 4, 0));
    assertEquals(0f, red.get(3, 4, 2));

    Normalization norm = new Normalization(new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.25f, 0.25f, 0.25f});
    Transform transform = Transform.evaluation(16, 16, norm);
    float[] out = new float[16 * 16 * 3];
    transform.apply(data.train().image(2), null, out, 0); // 20x50 blue: resized, centre-cropped
    for (int i = 0; i < out.length; i += 3) {
      assertEquals(-2f, out[i], 1e-5f);
      assertEquals(2f, out[i + 2], 1e-5f);
    }
  }

  @Test
  void aFolderOfClassFoldersIsSplitByTheFraction() throws IOException {
    for (int i = 0; i < 4; i++) {
      image(temp.resolve("a/" + i + ".png"), 8, 8, Color.RED, "png");
      image(temp.resolve("b/" + i + ".png"), 8, 8, Color.GREEN, "png");
    }
    DataSplits data = ImageFolder.load(temp, 3, 0.25, 7);
    assertEquals(6, data.train().size());
    assertEquals(2, data.validation().size());
    assertEquals(List.of("a", "b"), data.validation().classNames());
  }

  @Test
  void anImageWithOtherChannelsIsRefusedNamingTheFile() throws IOException {
    image(temp.resolve("train/cat/ok.png"), 8, 8, Color.RED, "png");
    image(temp.resolve("val/cat/ok.png"), 8, 8, Color.RED, "png");
    Path gray = temp.resolve("train/dog/gray.png");
    Files.createDirectories(gray.getParent());
    ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", gray.toFile());
    ImageFolder train = (ImageFolder) ImageFolder.load(temp, 3, 0.1, 1).train();
    assertEquals(gray, train.file(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> train.image(1));
    assertTrue(e.getMessage().contains("gray.png has 1 channel (grayscale); the network takes 3 "
        + "(RGB)"), e.getMessage());

    // through the background loader, the same message reaches the training thread
    Transform transform = Transform.evaluation(8, 8,
        new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1}));
    try (BatchLoader loader = new BatchLoader(train, transform, 4, false, false, 1, 1, 2);
        BatchLoader.Epoch epoch = loader.epoch(0)) {
      IllegalArgumentException fromLoader =
          assertThrows(IllegalArgumentException.class, epoch::next);
      assertTrue(fromLoader.getMessage().contains("gray.png has 1 channel"));
    }
  }

  @Test
  void aTruncatedImageIsRefusedNamingTheFile() throws IOException {
    Path file = temp.resolve("cat/cut.png");
    image(file, 30, 30, Color.RED, "png");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolder.read(file, 3));
    assertTrue(e.getMessage().startsWith("cannot decode " + file), e.getMessage());
  }

  @Test
  void anImageAboveThePixelBudgetIsDecodedSubsampled() throws IOException {
    Path file = temp.resolve("huge.png");
    LargePng.write(file, 20_000, 20_000, 0xc81e1e); // 400 megapixels in 50 KB
    Image image = ImageFolder.read(file, 3);
    assertEquals("4000x4000x3", image.shape()); // every fifth pixel of every fifth row
    assertEquals(200 / 255f, image.get(3999, 3999, 0));
    assertEquals(30 / 255f, image.get(0, 0, 2));
  }

  @Test
  void anImageWithASideAboveTheLimitIsRefusedBeforeDecoding() throws IOException {
    Path file = temp.resolve("wide.png");
    LargePng.headerOnly(file, 70_000, 8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolder.read(file, 3));
    assertEquals(file + " is 70000x8 pixels; netspec reads images of at most 65535 pixels a "
        + "side: downscale it first", e.getMessage());
  }

  @Test
  void theChannelsAreCheckedBeforeDecoding() throws IOException {
    Path file = temp.resolve("palette.png");
    LargePng.headerOnly(file, 16, 16); // a palette image whose pixels would not decode
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolder.read(file, 1));
    assertTrue(e.getMessage().startsWith(file + " has 3 channels (RGB); the network takes 1"),
        e.getMessage());
  }

  @Test
  void missingAndEmptyFoldersAreRefused() throws IOException {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolder.load(temp.resolve("none"), 3, 0.1, 1));
    assertTrue(e.getMessage().startsWith("no image folder at"), e.getMessage());
    Files.createDirectories(temp.resolve("empty/cat"));
    e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolder.load(temp.resolve("empty"), 3, 0.1, 1));
    assertTrue(e.getMessage().startsWith("no images"), e.getMessage());
  }
}
