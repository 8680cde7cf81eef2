package dev.netspec.examples.cli;

import static dev.netspec.examples.cli.CommandsTest.netspec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.cli.CommandsTest.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code train --local-workers}: a cluster of processes on loopback that trains and leaves the
 * chief's run folder with the others' logs; and the cluster options refused with the fix.
 */
class ClusterCommandTest {
  private static final String CLUSTER = "{\"cluster\": {\"worker\": [\"localhost:1\"], "
      + "\"ps\": [\"localhost:2\"]}}";

  @TempDir Path temp;

  @Test
  void aLocalClusterTrainsAndTheOtherTasksLogBesideTheRun() throws Exception {
    Path run = temp.resolve("run");
    Outcome outcome = netspec("train", "--local-workers", "2", "--train-images", "256",
        "--val-images", "64", "--epochs", "1", "--batch", "16", "--out", run.toString(),
        "--no-progress");
    assertEquals(0, outcome.code(), outcome.err());
    assertTrue(outcome.out().startsWith("cluster: 2 workers [127.0.0.1:"), outcome.out());
    assertTrue(Files.exists(run.resolve("epoch-0001.safetensors")));
    assertTrue(Files.readString(run.resolve("metrics.csv")).contains("val"));
    assertTrue(Files.readString(run.resolve("worker-1.log"))
        .contains("trained until the chief ended the run"));
    assertTrue(Files.readString(run.resolve("ps.log")).contains("the chief ended the run: "
        + "finished"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "--task worker:1|--task worker:1 needs a cluster: give it with --cluster",
      "--cluster CLUSTER --task worker1|--task is \"worker1\"; write the job and the task index",
      "--cluster CLUSTER --task worker:1|the job \"worker\" has 1 task: use an index from 0 to 0",
      "--cluster CLUSTER|--cluster needs \"task\"",
      "--cluster {\"cluster\": {\"worker\": [\"a:1\"]}} --task worker:0|--cluster's cluster has no "
          + "parameter server",
      "--cluster CLUSTER --task worker:0 --sync-timeout 0|--sync-timeout must be more than 0",
      "--local-workers 2 --cluster CLUSTER|--local-workers starts a cluster of its own; leave "
          + "--cluster out",
      "--local-workers 0|--local-workers must be at least 1, got 0",
      "--cluster no-such-file.json|--cluster no-such-file.json is neither JSON nor a file",
  })
  void clusterOptionsAreRefusedWithTheFix(String args, String expected) {
    String[] split = args.split(" (?=--)");
    List<String> command = new ArrayList<>(List.of("train"));
    for (String option : split) {
      int space = option.indexOf(' ');
      command.add(option.substring(0, space));
      command.add(option.substring(space + 1).replace("CLUSTER", CLUSTER));
    }
    command.addAll(List.of("--out", temp.resolve("refused").toString()));
    Outcome outcome = netspec(command.toArray(String[]::new));
    assertEquals(2, outcome.code(), outcome.err());
    assertTrue(outcome.err().startsWith("netspec: "), outcome.err());
    assertTrue(outcome.err().contains(expected), outcome.err());
  }
}
