package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.cli.NetspecCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The fine-tuning path on this project's own network: its summary, a brief run on synthetic
 * shapes as the pretrained weights, a run that starts from them with its first stages frozen,
 * and that run exported to ONNX.
 */
class FineTuningTest {
  private static final String NETWORK = "com.example.consumer.TinyClassifier";

  @TempDir Path temp;

  private static String netspec(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = NetspecCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertEquals(0, cli.execute(args), err.toString());
    return out.toString();
  }

  /** A run small enough for a test: 64 training and 32 validation images, one epoch. */
  private static String train(Path out, String... more) {
    String[] args = {"train", "--network", NETWORK, "--train-images", "64", "--val-images", "32",
        "--epochs", "1", "--batch", "32", "--no-progress", "--out", out.toString()};
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return netspec(all);
  }

  @Test
  void summaryFineTuningFromAPretrainedRunAndOnnxExport() throws IOException {
    String summary = netspec("summary", NETWORK);
    assertTrue(summary.contains("layer1"), summary);

    Path pretrained = temp.resolve("pretrained");
    train(pretrained);
    Path tuned = temp.resolve("tuned");
    String run = train(tuned, "--data-seed", "2", "--init", pretrained.toString(),
        "--freeze", "layer1", "--pretrained-lr-scale", "0.5");
    assertTrue(run.contains("init: loaded "), run);
    assertTrue(run.contains("fine-tuning: frozen through layer1"), run);
    assertTrue(run.strip().endsWith(run.lines().filter(l -> l.startsWith("val_top1=")).findFirst()
        .orElseThrow()), run);

    Path onnx = temp.resolve("tiny.onnx");
    netspec("export", tuned.toString(), "--format", "onnx", "--out", onnx.toString());
    assertTrue(Files.size(onnx) > 43_290 * 4, "the ONNX file holds the weights");
  }
}
