package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.zoo.DenseNetBC100;
import dev.netspec.examples.zoo.PyTorchNames;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.io.MapStateDict;
import dev.netspec.runtime.io.NameRules;
import dev.netspec.runtime.io.SafetensorsFile;
import dev.netspec.runtime.io.WeightImport;
import dev.netspec.runtime.io.WeightImportException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code netspec parity} on the parity files that ship with the tests, written by
 * reference/parity_reference.py from PyTorch: DenseNet-BC-100 (torchvision's DenseNet layout) and
 * a miniature face DenseNet (PReLU, flatten, dense embedding, weights stored as F64).
 */
class ParityCommandTest {
  record Run(int exit, String out, String err) {
    String last() {
      List<String> lines = out.lines().toList();
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    double maxRelErr() {
      assertTrue(last().startsWith("max_rel_err="), out + err);
      return Double.parseDouble(last().substring("max_rel_err=".length()));
    }
  }

  static Run run(String... args) {
    CommandLine cli = NetspecCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Path resource(String name) {
    try {
      return Path.of(ParityCommandTest.class.getResource("/parity/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void denseNetBc100EqualsPyTorch() {
    Run run = run("parity", "densenet_bc_100",
        resource("densenet_bc_100.safetensors").toString(), "--max-rel-err", "1e-4");
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("DenseNetBC100: loaded 497 tensors"), run.out());
    assertTrue(run.maxRelErr() <= 1e-4, run.out());
  }

  @Test
  void preluAndALinearLayerAfterAFlattenEqualPyTorch() {
    Run run = run("parity", "dev.netspec.examples.TinyFacePReLU",
        resource("tiny_face_prelu.safetensors").toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    assertTrue(run.maxRelErr() <= 1e-5, run.out());
  }

  @Test
  void theWrongNetworkIsRefusedWithEveryProblemListed() {
    Run run = run("parity", "dev.netspec.examples.TinyFacePReLU",
        resource("densenet_bc_100.safetensors").toString());
    assertEquals(2, run.exit(), run.out());
    assertTrue(run.err().contains("into TinyFacePReLU (51 missing, 497 unexpected);"
        + " strict: see --non-strict and --skip-head; nothing loaded"), run.err());
    assertTrue(run.err().contains("\n  missing 'conv0.conv.weight' [3, 3, 3, 8] (PyTorch shape"
        + " [8, 3, 3, 3])\n"), run.err());
    assertTrue(run.err().contains("\n  unexpected 'features.conv0.weight'\n"), run.err());
  }

  @Test
  void aMissingFileIsOneLine() {
    Run run = run("parity", "densenet_bc_100", "no-such-file.safetensors");
    assertEquals(2, run.exit(), run.err());
    assertEquals("netspec: no file no-such-file.safetensors", run.err().strip());
  }

  @TempDir Path temp;

  /** The miniature face net's parity file with {@code tensor} replaced. */
  private Path tinyFaceWith(String tensor, long[] shape, float[] values) throws IOException {
    return ParityFiles.write(resource("tiny_face_prelu.safetensors"),
        temp.resolve(tensor + "-" + shape.length + ".safetensors"),
        Map.of(tensor, new ParityFiles.Tensor(shape, values)));
  }

  @Test
  void anInputTooLargeToReadIsRefusedBeforeAnythingIsRead() throws IOException {
    // declares 3.2 GB of input, a hole in a sparse file
    Path file = tinyFaceWith("input", new long[] {1, 3, 16384, 16384}, null);
    Run run = run("parity", "dev.netspec.examples.TinyFacePReLU", file.toString());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertEquals("netspec: " + file + ": 'input' has shape [1, 3, 16384, 16384], 805,306,368 "
        + "values; parity reads at most 16,777,216 (64 MB as float32, e.g. [1, 3, 2048, 2048])",
        run.err().strip());
  }

  @Test
  void aNonFiniteInputIsRefused() throws IOException {
    float[] input = new float[3 * 16 * 16];
    input[16 * 16 + 5] = Float.NaN;
    Path file = tinyFaceWith("input", new long[] {1, 3, 16, 16}, input);
    Run run = run("parity", "dev.netspec.examples.TinyFacePReLU", file.toString());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertEquals("netspec: " + file + ": 'input' holds NaN at [0, 1, 0, 5]; a parity check "
        + "needs finite values", run.err().strip());
  }

  @Test
  void anOutputThatIsNotFiniteFailsWithoutABound() throws IOException {
    float[] input = new float[3 * 16 * 16];
    java.util.Arrays.fill(input, Float.MAX_VALUE);
    Path file = tinyFaceWith("input", new long[] {1, 3, 16, 16}, input);
    Run run = run("parity", "dev.netspec.examples.TinyFacePReLU", file.toString());
    assertEquals(1, run.exit(), run.out() + run.err());
    assertEquals("max_rel_err=NaN", run.last());
    assertEquals("netspec: the network's output holds NaN or infinity", run.err().strip());
  }

  @Test
  void anOutputOfAnotherShapeIsRefusedEvenWithAsManyValues() throws IOException {
    Path file = tinyFaceWith("output", new long[] {16, 1}, new float[16]);
    Run run = run("parity", "dev.netspec.examples.TinyFacePReLU", file.toString());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertEquals("netspec: the network's output has shape [1, 16] but " + file + "'s 'output' "
        + "has shape [16, 1]", run.err().strip());
  }

  @Test
  void anEmptyBatchIsRefusedBeforeTensorFlowSeesIt() throws IOException {
    Path file = ParityFiles.write(resource("tiny_face_prelu.safetensors"),
        temp.resolve("empty.safetensors"), Map.of(
            "input", new ParityFiles.Tensor(new long[] {0, 3, 16, 16}, new float[0]),
            "output", new ParityFiles.Tensor(new long[] {0, 16}, new float[0])));
    Run run = run("parity", "dev.netspec.examples.TinyFacePReLU", file.toString());
    assertEquals(2, run.exit(), run.out() + run.err());
    assertEquals("netspec: " + file + ": 'input' has shape [0, 3, 16, 16], no image at all",
        run.err().strip());
  }

  /**
   * The reference statistics are not trivial: running means and variances swapped are refused
   * (some means are negative); swapped with the means made positive, they show in the error.
   */
  @Test
  void swappedRunningStatisticsAreCaught() throws IOException {
    NameRules swapAll = NameRules.identity()
        .rename("features\\.(.+)\\.running_mean", "$1.running_var")
        .rename("features\\.(.+)\\.running_var", "$1.running_mean")
        .then(PyTorchNames.TORCHVISION_DENSENET);
    try (SafetensorsFile file = SafetensorsFile.open(resource("densenet_bc_100.safetensors"));
        Model<DenseNetBC100> model = Model.create(DenseNetBC100.class, Mode.INFERENCE, 0L)) {
      WeightImport parityImport = WeightImport.withRules(swapAll)
          .exclude(List.of(Parity.INPUT, Parity.OUTPUT));
      WeightImportException e =
          assertThrows(WeightImportException.class, () -> parityImport.into(model, file));
      assertTrue(e.getMessage().contains("holds a negative variance"), e.getMessage());

      // every BatchNorm's means and variances swapped, the means made positive
      MapStateDict swapped = new MapStateDict();
      for (String key : file.names()) {
        if (file.unreadable(key).isPresent()) {
          continue;
        }
        String other = key.endsWith(".running_mean") ? key.replace("_mean", "_var")
            : key.endsWith(".running_var") ? key.replace("_var", "_mean") : key;
        float[] values = file.read(other);
        if (key.endsWith(".running_var")) {
          for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i]) + 1e-3f;
          }
        }
        swapped.put(key, file.shape(key), values);
      }
      WeightImport.withRules(PyTorchNames.TORCHVISION_DENSENET)
          .exclude(List.of(Parity.INPUT, Parity.OUTPUT)).into(model, swapped);
      double error = Parity.run(model, Parity.check(file)).maxRelativeError();
      assertTrue(error > 1e-2, "max_rel_err " + error);
    }
  }
}
