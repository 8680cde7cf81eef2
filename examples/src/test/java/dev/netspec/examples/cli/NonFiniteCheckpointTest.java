package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.cli.CommandsTest.Outcome;
import dev.netspec.runtime.io.NonFiniteCopy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint holding infinite BatchNorm variances, as runs wrote them before checkpoints were
 * checked finite: evaluate, predict and export refuse it in one line instead of scoring chance,
 * predicting one class for every image or exporting it.
 */
class NonFiniteCheckpointTest {
  @TempDir Path temp;

  @Test
  void evaluatePredictAndExportRefuseACheckpointThatIsNotFinite() throws IOException {
    Path run = temp.resolve("run");
    Outcome trained = CommandsTest.netspec("train", "--train-images", "64", "--val-images", "32",
        "--epochs", "1", "--batch", "32", "--out", run.toString(), "--no-progress");
    assertEquals(0, trained.code(), trained.err());
    // every BatchNorm running variance +∞
    Path bad = NonFiniteCopy.write(run.resolve("epoch-0001.safetensors"),
        temp.resolve("diverged.safetensors"), name -> name.endsWith(".running_var"));
    Path image = temp.resolve("black.png");
    ImageIO.write(new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB), "png", image.toFile());
    Path export = temp.resolve("export");

    for (List<String> command : List.of(List.of("evaluate", bad.toString()),
        List.of("predict", bad.toString(), image.toString()),
        List.of("export", bad.toString(), "--out", export.toString()))) {
      Outcome refused = CommandsTest.netspec(command.toArray(String[]::new));
      assertNotEquals(0, refused.code(), command + ": " + refused.out());
      assertEquals(1, refused.err().lines().count(), refused.err());
      assertTrue(refused.err().contains(bad + " cannot be loaded: "), refused.err());
      assertTrue(refused.err().matches("(?s).*'[a-z0-9._]+\\.running_var' holds \\d+ infinite "
          + "values.*"), refused.err());
    }
    assertFalse(Files.exists(export), "nothing exported");
  }
}
