package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.cli.NetspecCommand;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.VariableStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line as a user meets it: exit codes, tables, last lines, one-line errors. */
class CliTest {
  private record Run(int exit, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    String last() {
      List<String> lines = lines();
      return lines.get(lines.size() - 1);
    }
  }

  private static Run run(String... args) {
    return run(NetspecCommand.commandLine(), args);
  }

  private static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void summaryPrintsEveryStageAndTheTotals() {
    Run run = run("summary", "resnet50");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().matches("(?s).*layer4 +Residual +7x7x2048 +32 +14,964,736.*"), run.out());
    assertTrue(run.out().contains("25,557,032  4,089,184,256"), run.out());
    assertTrue(run.out().contains("MACs: 4.089 G per image"), run.out());
  }

  @Test
  void summaryRunBuildsTheNetworkAndAgreesWithTheConstants() {
    Run run = run("summary", "dev.netspec.examples.TinyNet", "--run", "--batch", "2");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("(equal to PARAMETERS)"), run.out());
    assertTrue(run.out().contains("output [2, 4]"), run.out());
  }

  @Test
  void benchEndsWithTheMedianForInferenceAndTraining() {
    for (String mode : new String[] {"--batch=4", "--train"}) {
      Run run = run("bench", "dev.netspec.examples.TinyNet", mode, "--runs", "3", "--warmup", "1",
          "--engine", "tensorflow");
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.last().matches("median_ms=\\d+\\.\\d{3}"), run.last());
      assertTrue(run.out().contains("one-time: native library"), run.out());
      assertTrue(run.out().contains("peak resident memory"), run.out());
      // how oneDNN was chosen, and on which CPU, head the numbers it decides
      assertTrue(run.out().matches("(?s).*\ncpu: .*\noneDNN: (on|off|TensorFlow's default) \\(.*"),
          run.out());
    }
  }

  @Test
  void benchTimesBothEnginesInTurnsOnTheCpuItNames() {
    Run run = run("bench", "dev.netspec.examples.TinyNet", "--batch=2", "--runs", "2",
        "--warmup", "0", "--threads", "1");
    assertEquals(0, run.exit(), run.err());
    List<String> lines = run.lines();
    assertTrue(lines.get(0).contains(", ONNX Runtime 1.22.0"), lines.get(0));
    assertTrue(lines.get(1).startsWith("cpu: "), lines.get(1));
    assertTrue(run.out().contains("one-time, onnxruntime: export and session "), run.out());
    assertTrue(run.out().contains("tensorflow: 2 runs after 0 warm-up: median "), run.out());
    assertTrue(run.out().contains("onnxruntime: 2 runs after 0 warm-up: median "), run.out());
    assertTrue(run.out().matches("(?s).*onnxruntime/tensorflow: \\d+\\.\\d\\d of the time.*"),
        run.out());
    assertTrue(run.out().contains("\noutputs: onnxruntime's agree with tensorflow's, max |difference| "),
        run.out());
    assertTrue(run.out().matches("(?s).*\nauto would run: (tensorflow|onnxruntime) \\(.*"),
        run.out());
    assertTrue(lines.get(lines.size() - 2).matches("median_ms_tensorflow=\\d+\\.\\d{3}"),
        run.out());
    assertTrue(run.last().matches("median_ms_onnxruntime=\\d+\\.\\d{3}"), run.last());
  }

  @Test
  void benchOfAutoSaysWhatItRanAndWhy() {
    Run run = run("bench", "dev.netspec.examples.TinyNet", "--batch=3", "--runs", "2",
        "--warmup", "0", "--threads", "1", "--engine", "auto");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().matches("(?s).*\nauto ran (tensorflow|onnxruntime): \\d+\\.\\d ms against "
        + "(tensorflow|onnxruntime)'s \\d+\\.\\d ms at batch 3, timed (now|earlier on this CPU); "
        + "outputs agree \\(max \\|difference\\| .*"), run.out());
    assertTrue(run.last().matches("median_ms=\\d+\\.\\d{3}"), run.last());
  }

  @Test
  void trainingRunsOnTensorFlowOnly() {
    for (String[] args : new String[][] {{"train", "--engine", "onnxruntime"},
        {"bench", "dev.netspec.examples.TinyNet", "--train", "--engine", "onnxruntime"}}) {
      Run run = run(args);
      assertEquals(2, run.exit(), run.err());
      assertTrue(run.err().contains("training runs on TensorFlow only")
          || run.err().contains("training runs on tensorflow"), run.err());
      assertEquals(1, run.err().lines().count(), run.err());
    }
    Run run = run("bench", "dev.netspec.examples.TinyNet", "--engine", "ort");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("'ort' is no engine; use auto, tensorflow or onnxruntime"),
        run.err());
  }

  @Test
  void benchTrainsADenseNetMemoryEfficientlyWithSessionSettings() {
    Run run = run("bench", "densenet_bc_100", "--train", "--batch", "2", "--runs", "1",
        "--warmup", "0", "--memory-efficient", "--session-config",
        "inter_op_parallelism_threads: 1 graph_options { rewrite_options { remapping: OFF } }");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.last().matches("median_ms=\\d+\\.\\d{3}"), run.last());
  }

  @Test
  void onlyCommandsThatTrainOfferMemoryEfficientTraining() {
    for (String command : new String[] {"train", "bench"}) {
      Run run = run(command, "--help");
      assertTrue(run.out().contains("--memory-efficient"), command + ":\n" + run.out());
    }
    for (String command : new String[] {"predict", "evaluate", "export", "summary", "parity"}) {
      Run run = run(command, "--help");
      assertEquals(0, run.exit(), run.err());
      assertTrue(run.out().contains("--session-config"), command + ":\n" + run.out());
      assertFalse(run.out().contains("--memory-efficient"), command + ":\n" + run.out());
    }
  }

  @Test
  void aMalformedSessionConfigIsOneLineNotATrace() {
    Run run = run("bench", "dev.netspec.examples.TinyNet", "--session-config", "no_such_field: 1");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--session-config"), run.err());
    assertTrue(run.err().contains("no_such_field"), run.err());
  }

  @Test
  void anUnknownNetworkIsOneLineNotATrace() {
    Run run = run("summary", "resnet5O");
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith("netspec: unknown network 'resnet5O'"), run.err());
    assertEquals(1, run.err().lines().count(), run.err());
  }

  @Test
  void aClassThatIsNotAGeneratedNetworkIsOneLine() {
    for (Class<?> type : List.of(String.class, HandWritten.class)) {
      Run run = run("summary", type.getName());
      assertEquals(2, run.exit());
      assertTrue(run.err().startsWith("netspec: " + type.getName()
          + " is not a generated network class"), run.err());
      assertEquals(1, run.err().lines().count(), run.err());
    }
  }

  /** A network written by hand: it declares no descriptor. */
  static final class HandWritten implements NetworkGraph {
    @Override
    public Operand<TFloat32> output() {
      throw new UnsupportedOperationException("never built");
    }

    @Override
    public VariableStore variables() {
      return new VariableStore();
    }
  }

  /** A command that fails as netspec's own code should not. */
  @Command(name = "fail")
  static final class Failing implements Callable<Integer> {
    @Option(names = "--error") boolean error;

    @Override
    public Integer call() {
      if (error) {
        throw new OutOfMemoryError("Java heap space");
      }
      throw new ArithmeticException("/ by zero");
    }
  }

  private static Run failing(String... args) {
    CommandLine cli = NetspecCommand.commandLine();
    cli.addSubcommand(new CommandLine(new Failing()));
    return run(cli, args);
  }

  @Test
  void anythingUnexpectedIsOneLineWithAHintAndVerboseAddsTheTrace() {
    Run run = failing("fail");
    assertEquals(1, run.exit());
    assertEquals("netspec: unexpected java.lang.ArithmeticException: / by zero (rerun with "
        + "--verbose for the stack trace)\n", run.err());

    Run error = failing("fail", "--error");
    assertEquals(1, error.exit());
    assertEquals("netspec: out of memory (Java heap space): give Java more, e.g. "
        + "NETSPEC_JAVA_OPTS=-Xmx8g ./netspec ... (rerun with --verbose for the stack trace)\n",
        error.err());

    for (String[] args : new String[][] {{"fail", "--verbose"}, {"--verbose", "fail"}}) {
      Run verbose = failing(args);
      assertEquals(1, verbose.exit());
      List<String> lines = verbose.err().lines().toList();
      assertEquals("netspec: unexpected java.lang.ArithmeticException: / by zero", lines.get(0));
      assertEquals("java.lang.ArithmeticException: / by zero", lines.get(1));
      assertTrue(lines.get(2).contains("at dev.netspec.examples.CliTest$Failing.call"),
          verbose.err());
    }
  }

  @Test
  void aRefusalWithVerboseAddsTheTraceToItsLine() {
    Run run = run("summary", "resnet5O", "--verbose");
    assertEquals(2, run.exit());
    assertTrue(run.err().startsWith("netspec: unknown network 'resnet5O'"), run.err());
    assertTrue(run.err().contains("\njava.lang.IllegalArgumentException: unknown network"),
        run.err());
  }
}
