package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./netspec} launcher around a stand-in {@code java} that writes what TensorFlow
 * writes at startup: TensorFlow's log lines are left out unless asked for, everything else on
 * stderr (a progress bar's carriage returns, netspec's own messages) and stdout passes
 * unchanged, and the exit status is the command's. The stand-in answers the oneDNN probe with a
 * fixed choice, so that what the launcher makes of it is seen without timing anything.
 */
class LauncherTest {
  private static final String ABSEIL = "WARNING: All log messages before absl::InitializeLog() is"
      + " called are written to STDERR\n"
      + "I0000 00:00:1796524285.906962   27565 mlir_graph_optimization_pass.cc:401] MLIR V1 "
      + "optimization pass is not enabled\n"
      + "W1114 09:32:22.280168   13509 cpu_utils.cc:128] Failed to get CPU frequency: 0 Hz\n";
  private static final String OWN = "\repoch 1/1  40% loss 1.2\repoch 1/1 100% loss 0.9\r"
      + "\r                \r"
      + "E0000 00:00:1796524285.906962   27565 kernel.cc:1] an error stays\n"
      + "Illegal argument, said in a line netspec wrote\n"
      + "netspec: the last line\n";

  private static final String PROBED = "off measured 90.0 45.0";

  @TempDir static Path root;
  static Path fakeBin;
  /** This test's cache folder, and the file where the stand-in counts the probes. */
  @TempDir Path cache;

  @BeforeAll
  static void aCheckoutWithAStandInJava() throws IOException {
    assumeTrue(onPath("bash") && onPath("perl"), "needs bash and perl");
    Path launcher = root.resolve("netspec");
    Files.copy(Path.of("..", "netspec"), launcher, StandardCopyOption.REPLACE_EXISTING);
    launcher.toFile().setExecutable(true);
    Files.createDirectories(root.resolve("examples/target"));
    Files.writeString(root.resolve("examples/target/netspec.jar"), "");
    fakeBin = Files.createDirectories(root.resolve("bin"));
    Path java = fakeBin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\n"
        + "if [[ \"$*\" == *OneDnnProbe* ]]; then\n"
        + "  echo \"NETSPEC_ONEDNN=$NETSPEC_ONEDNN\" >> \"$XDG_CACHE_HOME/probes\"\n"
        + "  [ -n \"${FAKE_PROBE_EXIT:-}\" ] && exit \"$FAKE_PROBE_EXIT\"\n"
        + "  echo \"$FAKE_DECISION\"; exit 0\n"
        + "fi\n"
        + "stays=false; [[ \"$*\" == *--until-term* ]] && stays=true\n"
        + "$stays && trap 'echo \"stopped cleanly\" >&2; exit 143' TERM\n"
        + "echo \"TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL-unset} args=$*\"\n"
        + "echo \"onednn=${TF_ENABLE_ONEDNN_OPTS-unset}"
        + " decision=${NETSPEC_ONEDNN_DECISION-unset}\"\n"
        + "while $stays; do sleep 0.1; done\n"
        + "printf '%s' \"$ABSEIL\" >&2\n"
        + "printf '%s' \"$OWN\" >&2\n"
        + "exit 3\n");
    java.toFile().setExecutable(true);
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private record Run(int status, String out, String err) {}

  private Process start(Map<String, String> environment, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("netspec").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.remove("TF_CPP_MIN_LOG_LEVEL");
    env.remove("NETSPEC_TF_LOGS");
    env.remove("TF_ENABLE_ONEDNN_OPTS");
    env.remove("NETSPEC_ONEDNN");
    env.remove("NETSPEC_ONEDNN_DECISION");
    env.put("XDG_CACHE_HOME", cache.toString());
    env.put("FAKE_DECISION", PROBED);    env.put("PATH", fakeBin + File.pathSeparator + env.get("PATH"));
    env.put("ABSEIL", ABSEIL);
    env.put("OWN", OWN);
    env.putAll(environment);
    return builder.start();
  }

  private Run launch(Map<String, String> environment, String... args) throws Exception {
    return finish(start(environment, args));
  }

  /** What the launcher wrote until it ended; every line of java's, since it waits for them. */
  private static Run finish(Process process) throws Exception {
    CompletableFuture<byte[]> err =
        CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String error = new String(err.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);
    return new Run(process.exitValue(), out, error);
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void tensorFlowsLinesAreLeftOutAndEverythingElsePasses() throws Exception {
    Run run = launch(Map.of(), "summary", "resnet50");
    assertEquals(3, run.status());
    assertEquals("TF_CPP_MIN_LOG_LEVEL=2 args=-jar " + root.resolve("examples/target/netspec.jar")
        + " summary resnet50\nonednn=0 decision=" + PROBED + "\n", run.out());
    assertEquals(OWN, run.err());
  }

  @Test
  void scoreRunsTheSparkScorerWithSparksJvmOptions() throws Exception {
    Path spark = Files.createDirectories(root.resolve("spark/target"));
    Files.writeString(spark.resolve("netspec-spark.jar"), "");
    Run run = launch(Map.of(), "score", "run", "images", "--out", "scores");
    assertEquals(3, run.status());
    assertEquals("TF_CPP_MIN_LOG_LEVEL=2 args=@" + spark.resolve("spark-jvm-options") + " -cp "
        + spark.resolve("netspec-spark.jar") + ":" + spark.resolve("lib") + "/* "
        + "dev.netspec.spark.ScoreCommand run images --out scores", run.out().lines().findFirst()
        .orElseThrow());
    assertEquals(OWN, run.err());
  }

  @Test
  void aLevelTheUserSetIsKept() throws Exception {
    Run run = launch(Map.of("TF_CPP_MIN_LOG_LEVEL", "1"), "train");
    assertEquals("TF_CPP_MIN_LOG_LEVEL=1", run.out().split(" ")[0]);
    assertEquals(OWN, run.err());
  }

  @Test
  void verboseOrTheVariableShowsTensorFlowsLines() throws Exception {
    for (Run run : List.of(launch(Map.of(), "--verbose", "summary", "resnet50"),
        launch(Map.of(), "summary", "resnet50", "--verbose"),
        launch(Map.of("NETSPEC_TF_LOGS", "1"), "summary", "resnet50"))) {
      assertEquals(3, run.status());
      assertEquals("TF_CPP_MIN_LOG_LEVEL=unset", run.out().split(" ")[0]);
      assertEquals(ABSEIL + OWN, run.err());
    }
  }

  @Test
  void aTerminationReachesJavaWhoseLastLinesStillComeThrough() throws Exception {
    Process process = start(Map.of(), "train", "--until-term");
    BufferedReader out = new BufferedReader(new InputStreamReader(
        process.getInputStream(), StandardCharsets.UTF_8));
    assertTrue(out.readLine().startsWith("TF_CPP_MIN_LOG_LEVEL=2"), "java has started");
    process.toHandle().destroy(); // SIGTERM to the launcher, its streams left open
    Run run = finish(process);
    assertEquals(143, run.status());
    assertEquals("stopped cleanly\n", run.err());
  }

  /** What java was started with: {@code onednn=<TF_ENABLE_ONEDNN_OPTS> decision=<line>}. */
  private static String oneDnn(Run run) {
    return run.out().lines().filter(l -> l.startsWith("onednn=")).findFirst().orElseThrow();
  }

  private List<String> probes() throws IOException {
    Path probes = cache.resolve("probes");
    return Files.exists(probes) ? Files.readAllLines(probes) : List.of();
  }

  @Test
  void theFirstRunOnACpuProbesAndLaterRunsReuseItsChoiceUntilTheJarChanges() throws Exception {
    assertEquals("onednn=0 decision=" + PROBED, oneDnn(launch(Map.of(), "bench", "resnet50")));
    assertEquals(List.of("NETSPEC_ONEDNN=auto"), probes());
    Run again = launch(Map.of("FAKE_DECISION", "on measured 1.0 2.0"), "bench", "resnet50");
    assertEquals("onednn=0 decision=off cached 90.0 45.0", oneDnn(again));
    assertEquals(1, probes().size(), "probed once");

    Path memo;
    try (var files = Files.list(cache.resolve("netspec"))) {
      memo = files.filter(f -> f.getFileName().toString().startsWith("onednn-launcher-"))
          .findFirst().orElseThrow();
    }
    FileTime jarBuilt = Files.getLastModifiedTime(root.resolve("examples/target/netspec.jar"));
    Files.setLastModifiedTime(memo, FileTime.fromMillis(jarBuilt.toMillis() - 60_000));
    Run rebuilt = launch(Map.of("FAKE_DECISION", "on cached 1.0 2.0 /somewhere"), "bench",
        "resnet50");
    assertEquals("onednn=1 decision=on cached 1.0 2.0 /somewhere", oneDnn(rebuilt));
    assertEquals(2, probes().size(), "a rebuilt jar asks again");
  }

  @Test
  void theUsersTensorFlowVariableIsLeftAsItIs() throws Exception {
    Run run = launch(Map.of("TF_ENABLE_ONEDNN_OPTS", "1", "NETSPEC_ONEDNN", "off"), "bench", "x");
    assertEquals("onednn=1 decision=unset", oneDnn(run));
    assertEquals(List.of(), probes());
  }

  @Test
  void theOverrideSetsTheVariableWithoutProbing() throws Exception {
    assertEquals("onednn=0 decision=off override - - NETSPEC_ONEDNN=Off",
        oneDnn(launch(Map.of("NETSPEC_ONEDNN", "Off"), "bench", "x")));
    assertEquals("onednn=1 decision=on override - - NETSPEC_ONEDNN=on",
        oneDnn(launch(Map.of("NETSPEC_ONEDNN", "on"), "bench", "x")));
    assertEquals(List.of(), probes());

    Run unknown = launch(Map.of("NETSPEC_ONEDNN", "fastest"), "bench", "x");
    assertEquals("onednn=0 decision=" + PROBED, oneDnn(unknown));
    assertTrue(unknown.err().startsWith("netspec: NETSPEC_ONEDNN=fastest is not on, off or auto;"
        + " choosing oneDNN as for auto\n"), unknown.err());
    assertEquals(List.of("NETSPEC_ONEDNN=auto"), probes());
  }

  @Test
  void aProbeThatFailsLeavesTensorFlowsDefaultAndTheCommandStillRuns() throws Exception {
    Run crashed = launch(Map.of("FAKE_PROBE_EXIT", "1"), "bench", "x");
    assertEquals(3, crashed.status(), "the command's own status");
    assertEquals("onednn=unset decision=default failed - - the probe of oneDNN did not run",
        oneDnn(crashed));
    assertEquals("netspec: could not time oneDNN on this CPU; TensorFlow's default applies\n"
        + OWN, crashed.err());

    Run failed = launch(Map.of("FAKE_DECISION", "default failed - - exited with 1"), "x");
    assertEquals("onednn=unset decision=default failed - - exited with 1", oneDnn(failed));
    assertEquals(2, probes().size(), "a failure is not kept: the next run measures again");
  }
}
