package dev.netspec.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TF_CONFIG as TensorFlow writes it, and every way of writing it wrong refused with the fix. */
class ClusterConfigTest {
  private static final String CLUSTER = "\"cluster\": {\"worker\": [\"host0:2222\", "
      + "\"host1:2222\"], \"ps\": [\"host2:2222\"]}";

  @Test
  void readsTheClusterAndTheTask() {
    ClusterConfig config = ClusterConfig.parse("{" + CLUSTER + ", \"task\": {\"type\": "
        + "\"worker\", \"index\": 1}, \"environment\": \"cloud\"}", "TF_CONFIG");
    assertEquals(List.of("host0:2222", "host1:2222"), config.workers());
    assertEquals(List.of("host2:2222"), config.parameterServers());
    assertEquals(new ClusterConfig.Task("worker", 1), config.task());
    assertEquals("grpc://host1:2222", config.target());
    assertEquals(false, config.isChief());
    assertEquals(1, config.placement().workerTask());
    assertEquals(2, config.serverDef().getCluster().getJobCount());
    // what a launcher hands another task reads back as that task
    ClusterConfig ps = ClusterConfig.parse(config.toJson(new ClusterConfig.Task("ps", 0)), "x");
    assertEquals(config.workers(), ps.workers());
    assertEquals("ps:0", ps.task().toString());
  }

  @Test
  void variablesAreSpreadOverTheParameterServersByName() {
    ClusterConfig config = ClusterConfig.parse("{\"cluster\": {\"worker\": [\"a:1\"], \"ps\": "
        + "[\"b:1\", \"c:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}", "TF_CONFIG");
    assertEquals(2, config.serverDef().getCluster().getJob(1).getTasksCount());
    java.util.Set<Integer> used = new java.util.HashSet<>();
    for (String name : List.of("conv1.weight", "bn1.weight", "bn1.bias", "fc.weight", "fc.bias")) {
      int task = config.placement().variable(name).task();
      assertEquals(task, config.placement().variable(name).task(), "the same every time");
      used.add(task);
    }
    assertEquals(java.util.Set.of(0, 1), used);
    assertEquals(0, config.placement().coordinator().task());
  }

  @Test
  void aTaskGivenApartReplacesTheValues() {
    ClusterConfig config = ClusterConfig.parse("{" + CLUSTER + "}", "--cluster",
        ClusterConfig.Task.parse("worker:0", "--task"));
    assertTrue(config.isChief());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"cluster\": |is not JSON",
      "[1, 2]|has the wrong type",
      "{\"cluster\": {\"worker\": \"host0:2222\"}}|cluster.worker has the wrong type",
      "{\"task\": {\"type\": \"worker\", \"index\": 0}}|has no \"cluster\"",
      "{CLUSTER}|needs \"task\"",
      "{CLUSTER, \"task\": {\"type\": \"worker\"}}|needs \"task\"",
      "{CLUSTER, \"task\": {\"type\": \"worker\", \"index\": 2}}|has 2 tasks: use an index from 0 to 1",
      "{CLUSTER, \"task\": {\"type\": \"chief\", \"index\": 0}}|use \"worker\" or \"ps\"",
      "{\"cluster\": {\"chief\": [\"a:1\"], \"worker\": [\"b:1\"], \"ps\": [\"c:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}|list a chief first under \"worker\"",
      "{\"cluster\": {\"worker\": [\"a:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}|no parameter server",
      "{\"cluster\": {\"worker\": [], \"ps\": [\"c:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}|no workers",
      "{\"cluster\": {\"worker\": [\"a:1\"], \"ps\": [\"c:1\", \"d:1\"]}, \"task\": {\"type\": \"ps\", \"index\": 2}}|has 2 tasks: use an index from 0 to 1",
      "{\"cluster\": {\"worker\": [\"a\"], \"ps\": [\"c:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}|write host:port",
      "{\"cluster\": {\"worker\": [\"a:70000\"], \"ps\": [\"c:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}|a port from 1 to 65535",
      "{\"cluster\": {\"worker\": [\"a:1\"], \"ps\": [\"a:1\"]}, \"task\": {\"type\": \"worker\", \"index\": 0}}|lists a:1 twice",
  })
  void refusesWithTheFix(String json, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterConfig.parse(json.replace("CLUSTER", CLUSTER), "TF_CONFIG"));
    assertTrue(e.getMessage().startsWith("TF_CONFIG"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aTaskIsJobColonIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterConfig.Task.parse("worker1", "--task"));
    assertTrue(e.getMessage().contains("e.g. worker:0 (the chief), worker:1 or ps:0"),
        e.getMessage());
  }
}
