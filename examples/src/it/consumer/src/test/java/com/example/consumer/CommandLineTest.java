package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.cli.NetspecCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** netspec's command line, a test dependency, on this project's own network. */
class CommandLineTest {
  private static String netspec(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = NetspecCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    assertEquals(0, cli.execute(args), err.toString());
    return out.toString();
  }

  @Test
  void summaryAndGraphTakeTheGeneratedClassByItsFullName() {
    String summary = netspec("summary", "com.example.consumer.TinyClassifier", "--run");
    assertTrue(summary.startsWith("TinyClassifier (com.example.consumer.TinyClassifier), input "
        + "32x32x3"), summary);
    assertTrue(summary.contains("parameters: 43,290"), summary);
    assertTrue(summary.contains("(equal to PARAMETERS)"), summary);
    String graph = netspec("graph", "com.example.consumer.TinyClassifier", "--stdout");
    assertTrue(graph.startsWith("digraph"), graph);
    assertTrue(graph.contains("layer2"), graph);
  }
}
