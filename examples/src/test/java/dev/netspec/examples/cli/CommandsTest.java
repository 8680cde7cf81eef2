package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.data.DataSplits;
import dev.netspec.runtime.data.Image;
import dev.netspec.runtime.data.LargePng;
import dev.netspec.runtime.data.SyntheticShapes;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands as a user runs them: a short training run of ResNet-8 on synthetic shapes, then
 * evaluate, export, predict, resume, and every bad input refused with one clear line.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsTest {
  private static final Pattern VAL_TOP1 = Pattern.compile("val_top1=(\\d\\.\\d{4})");

  @TempDir static Path temp;
  static Path run;
  static Path images;
  static String trained;

  /** What one command printed and returned. */
  record Outcome(int code, String out, String err) {
    String lastLine() {
      List<String> lines = out.lines().toList();
      return lines.get(lines.size() - 1);
    }
  }

  static Outcome netspec(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = NetspecCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void trainBriefly() throws IOException {
    run = temp.resolve("run");
    Outcome outcome = netspec("train", "--train-images", "256", "--val-images", "100",
        "--epochs", "1", "--batch", "32", "--out", run.toString(), "--no-progress");
    assertEquals(0, outcome.code(), outcome.err());
    trained = outcome.out();
    images = Files.createDirectories(temp.resolve("images"));
    DataSplits shapes = SyntheticShapes.generate(42, 3, 1, 32);
    for (int i = 0; i < 3; i++) {
      ImageIO.write(picture(shapes.train().image(i)), "png",
          images.resolve(i + ".png").toFile());
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

  private static double valTop1(String output) {
    List<String> lines = output.lines().toList();
    Matcher m = VAL_TOP1.matcher(lines.get(lines.size() - 1));
    assertTrue(m.matches(), "the last line is val_top1=<fraction>: " + output);
    return Double.parseDouble(m.group(1));
  }

  @Test
  @Order(1)
  void trainPrintsThePlanEachEpochAndValTop1Last() {
    assertTrue(trained.contains("ResNet8 (306,946 parameters) on 32x32 images"), trained);
    assertTrue(trained.contains("epoch 1/1  loss "), trained);
    double top1 = valTop1(trained);
    assertTrue(top1 >= 0 && top1 <= 1);
    for (String file : List.of("epoch-0001.safetensors", "best.safetensors", "metrics.csv",
        "metrics.png")) {
      assertTrue(Files.isRegularFile(run.resolve(file)), file);
    }
  }

  @Test
  @Order(2)
  void evaluateScoresTheRunOnTheDataItRecords() {
    Outcome outcome = netspec("evaluate", run.toString());
    assertEquals(0, outcome.code(), outcome.err());
    assertTrue(outcome.out().contains("validation split: 100 images"), outcome.out());
    assertEquals(valTop1(trained), valTop1(outcome.out()), 1e-9);
  }

  @Test
  @Order(2)
  void onnxRuntimeAndAutoScoreAndPredictAsTensorFlow() {
    Outcome tensorflow = netspec("evaluate", run.toString(), "--engine", "tensorflow");
    assertEquals("", tensorflow.err(), "an engine named by the user needs no word");
    for (String engine : List.of("onnxruntime", "auto")) {
      Outcome other = netspec("evaluate", run.toString(), "--engine", engine);
      assertEquals(0, other.code(), other.err());
      assertEquals(valTop1(tensorflow.out()), valTop1(other.out()), 1e-9);
      assertEquals(valLoss(tensorflow.out()), valLoss(other.out()), 1e-3);
    }
    Outcome auto = netspec("evaluate", run.toString());
    assertTrue(auto.err().matches("netspec: engine (tensorflow|onnxruntime): \\d+\\.\\d ms against "
        + "(tensorflow|onnxruntime)'s \\d+\\.\\d ms at batch 100, timed earlier on this CPU; "
        + "outputs agree \\(.*\\)\n"), "auto is the default, timed once: " + auto.err());

    Outcome predicted = netspec("predict", run.toString(), images.toString(), "--top", "1",
        "--engine", "tensorflow");
    Outcome onnxPredicted = netspec("predict", run.toString(), images.toString(), "--top", "1",
        "--engine", "onnxruntime", "--threads", "1");
    assertEquals(0, onnxPredicted.code(), onnxPredicted.err());
    assertEquals(classes(predicted.out()), classes(onnxPredicted.out()));
  }

  private static double valLoss(String output) {
    return Double.parseDouble(output.lines().filter(l -> l.startsWith("val_loss="))
        .findFirst().orElseThrow().substring("val_loss=".length()));
  }

  /** Each line of predict's output without its probability. */
  private static List<String> classes(String output) {
    return output.lines().map(l -> l.replaceAll(" \\S+%$", "")).toList();
  }

  @Test
  @Order(3)
  void exportThenPredictFromTheSavedModelAsFromTheCheckpoint() {
    Path export = temp.resolve("exported");
    Outcome exported = netspec("export", run.toString(), "--out", export.toString());
    assertEquals(0, exported.code(), exported.err());
    assertTrue(exported.out().matches("(?s).*signature serving_default: images \\[-1, 32, 32, "
        + "3\\] float32, normalized \\(mean \\[.*\\], std \\[.*\\]\\) -> logits \\[-1, 10\\]\n.*"),
        exported.out());
    assertTrue(exported.out().contains("signature serving_raw: images [-1, 32, 32, 3] float32, "
        + "pixel values 0-255 -> logits [-1, 10]"), exported.out());

    Outcome fromExport = netspec("predict", export.toString(), images.toString());
    Outcome fromCheckpoint = netspec("predict", run.toString(), images.toString(), "--top", "3");
    assertEquals(0, fromExport.code(), fromExport.err());
    assertEquals(3, fromExport.out().lines().count());
    String first = fromExport.out().lines().findFirst().orElseThrow();
    assertTrue(first.matches(".*0\\.png:( \\s*[a-z]+ \\d+\\.\\d%){5}"), first);
    // the top three of the checkpoint are the SavedModel's first three
    List<String> a = fromExport.out().lines().map(l -> l.replaceAll("((\\s+\\S+ \\S+%){3}).*",
        "$1")).toList();
    assertEquals(a, fromCheckpoint.out().lines().toList());

    Outcome evaluated = netspec("evaluate", export.toString());
    assertEquals(valTop1(trained), valTop1(evaluated.out()), 1e-9);

    Outcome again = netspec("export", run.toString(), "--out", export.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("already exists"), again.err());
  }

  @Test
  @Order(4)
  void resumeContinuesTheRunAndRefusesNewSettingsOrAnotherNetwork() {
    Outcome changed = netspec("train", "--resume", run.toString(), "--lr", "0.5");
    assertEquals(2, changed.code());
    assertTrue(changed.err().contains("--lr cannot change them"), changed.err());

    Outcome other = netspec("train", "--resume", run.toString(), "--network",
        "dev.netspec.examples.TinyNet", "--epochs", "2", "--no-progress");
    assertEquals(2, other.code());
    assertTrue(other.err().contains("does not fit TinyNet: it was saved from ResNet8"),
        other.err());
    assertTrue(other.err().contains("missing from the checkpoint: stem.conv.weight [3, 3, 3, 16]"),
        other.err());
    assertTrue(other.err().contains("in the checkpoint but not in the network: conv1.conv.weight "
        + "[3, 3, 3, 24]"), other.err());

    Outcome fresh = netspec("train", "--out", run.toString(), "--epochs", "1");
    assertEquals(2, fresh.code());
    assertTrue(fresh.err().contains("already holds a run's checkpoints: continue it with "
        + "--resume"), fresh.err());

    Outcome resumed = netspec("train", "--resume", run.toString(), "--epochs", "2",
        "--no-progress");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("resuming at epoch 2 from"), resumed.out());
    assertTrue(resumed.out().contains("epoch 2/2  loss "), resumed.out());
    assertTrue(Files.exists(run.resolve("epoch-0002.safetensors")));
    valTop1(resumed.out());
  }

  @Test
  @Order(5)
  void badInputsAreRefusedWithOneClearLine() throws IOException {
    Path gray = temp.resolve("gray.png");
    ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY), "png", gray.toFile());
    Outcome grayPredict = netspec("predict", run.toString(), gray.toString());
    assertEquals(2, grayPredict.code());
    assertEquals("netspec: " + gray + " has 1 channel (grayscale); the network takes 3 (RGB): "
        + "convert the image, e.g. `convert in.png -alpha off -colorspace sRGB -type TrueColor "
        + "out.png`\n", grayPredict.err());

    Path empty = Files.createDirectories(temp.resolve("empty"));
    Outcome cifar = netspec("train", "--data", "cifar10", "--data-dir", empty.toString(),
        "--out", temp.resolve("cifar-run").toString());
    assertEquals(2, cifar.code());
    assertTrue(cifar.err().startsWith("netspec: missing CIFAR-10 file "), cifar.err());

    Path file = Files.writeString(temp.resolve("file.txt"), "x");
    Outcome unwritable = netspec("train", "--out", file.resolve("run").toString());
    assertEquals(2, unwritable.code());
    assertTrue(unwritable.err().contains("exists and is not a folder; choose another --out"),
        unwritable.err());

    Path cut = temp.resolve("cut.safetensors");
    byte[] bytes = Files.readAllBytes(run.resolve("best.safetensors"));
    Files.write(cut, java.util.Arrays.copyOf(bytes, 1000));
    Outcome truncated = netspec("evaluate", cut.toString());
    assertEquals(2, truncated.code());
    assertTrue(truncated.err().contains("cut.safetensors is truncated"), truncated.err());
    assertEquals(1, truncated.err().lines().count(), truncated.err());
  }

  @Test
  @Order(6)
  void predictGoesOnPastImagesItCannotReadAndFailsAtTheEnd() throws IOException {
    Path mixed = Files.createDirectories(temp.resolve("mixed"));
    Files.copy(images.resolve("0.png"), mixed.resolve("a.png"));
    Files.writeString(mixed.resolve("b.jpg"), "not a JPEG");
    LargePng.write(mixed.resolve("c.png"), 20_000, 20_000, 0xc81e1e); // 400 megapixels, 50 KB
    Outcome outcome = netspec("predict", run.toString(), mixed.toString());
    assertEquals(2, outcome.code(), outcome.err());
    List<String> lines = outcome.out().lines().toList();
    assertEquals(2, lines.size(), outcome.out());
    assertTrue(lines.get(0).startsWith(mixed.resolve("a.png") + ":  "), lines.get(0));
    assertTrue(lines.get(1).startsWith(mixed.resolve("c.png") + ":  "), lines.get(1));
    List<String> errors = outcome.err().lines().toList();
    assertEquals(List.of("netspec: cannot decode " + mixed.resolve("b.jpg") + ": not an image "
        + "format ImageIO reads (PNG, JPEG, BMP, GIF)", "netspec: 1 of 3 images could not be "
        + "read"), List.of(errors.get(0), errors.get(2)), outcome.err());
    assertTrue(errors.get(1).startsWith("netspec: engine "), "what auto ran: " + errors.get(1));
  }

  @Test
  @Order(7)
  void evaluateTakesTheSyntheticSettingsGivenWithoutData() {
    Outcome outcome = netspec("evaluate", run.toString(), "--val-images", "50", "--data-seed",
        "7");
    assertEquals(0, outcome.code(), outcome.err());
    assertTrue(outcome.out().contains("synthetic shapes (seed 7), validation split: 50 images"),
        outcome.out());
    assertTrue(outcome.out().contains("images=50\n"), outcome.out());
  }

  @Test
  @Order(8)
  void savedModelsWithPartsMissingAreNamedForWhatTheyLack() throws IOException {
    Path export = temp.resolve("exported");
    Path noGraph = copy(export, temp.resolve("no-graph"));
    Files.delete(noGraph.resolve("saved_model.pb"));
    Outcome graphless = netspec("predict", noGraph.toString(), images.toString());
    assertEquals(2, graphless.code(), graphless.err());
    assertEquals("netspec: " + noGraph + " holds a SavedModel's variables/ but no "
        + "saved_model.pb: its export was interrupted or it was copied in part; export the "
        + "checkpoint again\n", graphless.err());

    Path noWeights = copy(export, temp.resolve("no-weights"));
    try (var files = Files.list(noWeights.resolve("variables"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Outcome weightless = netspec("predict", noWeights.toString(), images.toString());
    assertEquals(2, weightless.code(), weightless.err());
    assertEquals("netspec: cannot load the SavedModel in " + noWeights + ": it has no "
        + "variables/variables.index, so its weights are missing (an export interrupted or "
        + "copied in part); export the checkpoint again\n", weightless.err());
  }

  @Test
  @Order(9)
  void exportFillsAnEmptyFolderInPlace() throws IOException {
    Path here = Files.createDirectories(temp.resolve("here"));
    Outcome outcome = netspec("export", run.toString(), "--out", here.resolve(".").toString());
    assertEquals(0, outcome.code(), outcome.err());
    assertTrue(Files.isRegularFile(here.resolve("saved_model.pb")));
    try (var files = Files.list(here)) {
      assertEquals(List.of("assets.extra", "saved_model.pb", "variables"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    Outcome predicted = netspec("predict", here.toString(), images.toString());
    assertEquals(0, predicted.code(), predicted.err());
  }

  @Test
  @Order(10)
  void threadsAreBoundedByTheProcessors() {
    int most = 4 * Runtime.getRuntime().availableProcessors();
    Outcome outcome = netspec("evaluate", run.toString(), "--threads", "100000");
    assertEquals(2, outcome.code(), outcome.err());
    assertEquals("netspec: --threads must be from 0 (every core) to " + most + " (4 per "
        + "processor; Java sees " + Runtime.getRuntime().availableProcessors() + "), got "
        + "100000\n", outcome.err());
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
    return to;
  }

  @Test
  void graphDrawsStagesShortcutsAndConcatenations() throws IOException {
    Outcome resnet = netspec("graph", "resnet8", "--stdout");
    assertEquals(0, resnet.code(), resnet.err());
    assertTrue(resnet.out().startsWith("digraph \"ResNet8\" {"), resnet.out());
    assertTrue(resnet.out().contains("subgraph cluster_layer2 {"), resnet.out());
    // the projection shortcut and the addition of layer1's block, drawn from its primitives
    assertTrue(resnet.out().contains("[label=\"0.downsample\\nconv 1x1 -> 32\\nbn\\n16x16x32\""),
        resnet.out());
    assertTrue(resnet.out().contains("[label=\"0\\n+\\nrelu\\n16x16x32\""), resnet.out());
    assertTrue(resnet.out().contains("fc\\nClassifier\\nglobal avg pool, linear -> 10\\n10"),
        resnet.out());

    // of 16 dense layers, the first in full and the other 15 as one box
    Outcome densenet = netspec("graph", "densenet_bc_100", "--stdout");
    assertTrue(densenet.out().contains("denselayer1.concat\\nconcat\\n32x32x36"), densenet.out());
    assertTrue(densenet.out().contains("denselayer2 … denselayer16\\n15 more blocks like the one "
        + "above\\n32x32x216"), densenet.out());
    assertFalse(densenet.out().contains("denselayer3.concat"), densenet.out());

    Outcome blocks = netspec("graph", "resnet8", "--blocks", "--stdout");
    assertEquals(0, blocks.code(), blocks.err());
    assertTrue(blocks.out().contains("layer2.0"), blocks.out());

    Path dot = temp.resolve("diagrams/resnet8.dot");
    Outcome written = netspec("graph", "resnet8", "-o", dot.toString());
    assertEquals(0, written.code(), written.err());
    assertEquals(resnet.out(), Files.readString(dot));

    // without Graphviz an SVG is not possible, but the DOT is always written
    Path svg = temp.resolve("diagrams/r.svg");
    Outcome noGraphviz = netspec("graph", "resnet8", "-o", svg.toString(), "--dot-command",
        "no-such-graphviz-dot");
    assertEquals(0, noGraphviz.code(), noGraphviz.err());
    assertTrue(Files.exists(temp.resolve("diagrams/r.dot")));
    assertTrue(noGraphviz.out().contains("is not installed, so no SVG"), noGraphviz.out());
  }
}
