package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.finetune.ShapeFamilies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code netspec train --init}: a tiny network pretrained on the ten synthetic shapes, then
 * fine-tuned on their three families with its classifier replaced, frozen, at a lower rate, and
 * resumed; and every misuse refused in one line.
 */
class FineTuneCommandTest {
  private static final String SHAPES = "dev.netspec.examples.finetune.TinyShapes";
  private static final String FAMILIES = "dev.netspec.examples.finetune.TinyFamilies";

  @TempDir static Path temp;
  static Path pretrained;
  static Path families;

  record Outcome(int code, String out, String err) {}

  static Outcome netspec(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = NetspecCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return new Outcome(cli.execute(args), out.toString(), err.toString());
  }

  private static String[] tiny(String... args) {
    String[] all = new String[args.length + 9];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--train-images", "96", "--val-images", "32", "--epochs", "1",
        "--batch", "32", "--no-progress"}, 0, all, args.length, 9);
    return all;
  }

  @BeforeAll
  static void pretrainOnShapesAndDrawTheFamilies() {
    pretrained = temp.resolve("pretrained");
    Outcome outcome = netspec(tiny("train", "--network", SHAPES, "--out",
        pretrained.toString()));
    assertEquals(0, outcome.code(), outcome.err());
    families = temp.resolve("families");
    ShapeFamilies.write(families, 7, 96, 48);
  }

  @Test
  void fineTuningReplacesTheClassifierFreezesAndScalesAndResumesTheSame() {
    Path run = temp.resolve("tuned");
    Outcome tuned = netspec(tiny("train", "--network", FAMILIES, "--data", "folder",
        "--data-dir", families.toString(), "--init", pretrained.toString(), "--freeze", "conv1",
        "--pretrained-lr-scale", "0.1", "--out", run.toString()));
    assertEquals(0, tuned.code(), tuned.err());
    String best = pretrained.resolve("best.safetensors").toString();
    assertTrue(tuned.out().contains("init: loaded 20 tensors ("), tuned.out());
    assertTrue(tuned.out().contains(" values) from the checkpoint " + best + "\n"), tuned.out());
    assertTrue(tuned.out().contains("\ninit: classifier 'fc' replaced and reinitialized: the "
        + "weights predict 10 classes, the network 3\n"), tuned.out());
    assertTrue(tuned.out().contains("\nfine-tuning: frozen through conv1 (its BatchNorm on the "
        + "pretrained statistics); "), tuned.out());
    assertTrue(tuned.out().contains(" parameters trained, the pretrained part at 0.1 x the "
        + "learning rate\n"), tuned.out());
    assertTrue(tuned.out().strip().lines().reduce((a, b) -> b).orElseThrow()
        .startsWith("val_top1="), tuned.out());

    Outcome resumed = netspec("train", "--resume", run.toString(), "--epochs", "2",
        "--no-progress");
    assertEquals(0, resumed.code(), resumed.err());
    assertTrue(resumed.out().contains("init: " + pretrained + " (loaded when the run started)"),
        resumed.out());
    assertTrue(resumed.out().contains("fine-tuning: frozen through conv1"), resumed.out());
    assertTrue(resumed.out().contains("epoch 2/2 "), resumed.out());
  }

  @Test
  void misuseIsOneLineThatSaysWhatToDo() {
    Outcome typo = netspec(tiny("train", "--network", SHAPES, "--init", pretrained.toString(),
        "--freeze", "layr1", "--out", temp.resolve("typo").toString()));
    assertEquals(2, typo.code());
    assertTrue(typo.err().contains("cannot freeze through 'layr1': TinyShapes has no such stage; "
        + "did you mean 'layer1'? Its stages: conv1, layer1, fc"), typo.err());

    Outcome alone = netspec(tiny("train", "--network", SHAPES, "--freeze", "conv1"));
    assertEquals(2, alone.code());
    assertTrue(alone.err().contains("--freeze applies to pretrained weights: give them with "
        + "--init <file.safetensors|run folder>"), alone.err());

    Outcome other = netspec(tiny("train", "--init", pretrained.toString(), "--out",
        temp.resolve("other").toString()));
    assertEquals(2, other.code());
    assertTrue(other.err().contains("cannot start ResNet8 from the checkpoint: "), other.err());
    assertTrue(other.err().contains("conv1.conv.weight: checkpoint [3, 3, 3, 8], network "
        + "[3, 3, 3, 24]"), other.err());

    Outcome resumed = netspec("train", "--resume", pretrained.toString(), "--freeze", "conv1");
    assertEquals(2, resumed.code());
    assertTrue(resumed.err().contains("so --freeze cannot change them"), resumed.err());
  }
}
