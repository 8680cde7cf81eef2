package dev.netspec.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.cli.CommandsTest.Outcome;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec of the user's own, compiled here with netspec's processor into a folder that is not on
 * the test's class path: the commands find its class through {@code --classpath} or {@code
 * NETSPEC_CLASSPATH}, and without them say where they looked and how to add it.
 */
class ClassPathTest {
  private static final String NETWORK = "my.nets.PocketNet";
  private static final String SPEC = """
      package my.nets;

      import dev.netspec.annotations.Act;
      import dev.netspec.annotations.BatchNorm;
      import dev.netspec.annotations.Block;
      import dev.netspec.annotations.Classifier;
      import dev.netspec.annotations.Conv;
      import dev.netspec.annotations.Input;
      import dev.netspec.annotations.Network;
      import dev.netspec.annotations.Residual;
      import org.tensorflow.Operand;
      import org.tensorflow.types.TFloat32;

      @Network(name = "PocketNet", input = @Input(channels = 3, height = 16, width = 16))
      public interface PocketNetSpec {
        @Conv(channels = 8) Operand<TFloat32> stem();
        @Residual(block = Block.BASIC, blocks = 1, planes = 8) Operand<TFloat32> layer1();
        @BatchNorm(act = Act.RELU) Operand<TFloat32> norm();
        @Classifier(classes = 3) Operand<TFloat32> fc();
      }
      """;

  @TempDir static Path temp;
  static Path classes;

  @BeforeAll
  static void compileTheSpec() throws IOException {
    Path source = temp.resolve("src/my/nets/PocketNetSpec.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, SPEC, StandardCharsets.UTF_8);
    classes = Files.createDirectories(temp.resolve("classes"));
    String testClassPath = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", testClassPath,
        "-processorpath", testClassPath, source.toString());
    assertEquals(0, status, "the spec compiles with netspec's processor");
    assertTrue(Files.isRegularFile(classes.resolve("my/nets/PocketNet.class")));
  }

  @Test
  void withoutAClassPathTheMessageSaysWhereItLookedAndHowToAddIt() {
    Outcome outcome = CommandsTest.netspec("summary", NETWORK);
    assertEquals(2, outcome.code());
    assertEquals("netspec: unknown network 'my.nets.PocketNet': no class of that name in "
        + "netspec's own classes, and no class path was given; add the jar or class folder that "
        + "holds it with --classpath <path[:path...]> or the NETSPEC_CLASSPATH variable\n",
        outcome.err());
  }

  @Test
  void summaryFindsTheClassOnTheClassPathGivenBeforeOrAfterTheCommand() {
    for (String[] args : List.of(
        new String[] {"--classpath", classes.toString(), "summary", NETWORK, "--run"},
        new String[] {"summary", NETWORK, "--classpath", classes.toString()})) {
      Outcome outcome = CommandsTest.netspec(args);
      assertEquals(0, outcome.code(), outcome.err());
      assertTrue(outcome.out().startsWith("PocketNet (my.nets.PocketNet), input 16x16x3"),
          outcome.out());
      if (args[0].equals("--classpath")) {
        assertTrue(outcome.out().contains("(equal to PARAMETERS)"), outcome.out());
      }
    }
  }

  @Test
  void graphDrawsTheStagesAndTheBlocksTheProcessorWroteBesideTheClass() {
    Outcome stages = CommandsTest.netspec("--classpath", classes.toString(), "graph", NETWORK,
        "--stdout");
    assertEquals(0, stages.code(), stages.err());
    assertTrue(stages.out().startsWith("digraph"), stages.out());
    assertTrue(stages.out().contains("layer1"), stages.out());
    Outcome blocks = CommandsTest.netspec("--classpath", classes.toString(), "graph", NETWORK,
        "--stdout", "--blocks");
    assertEquals(0, blocks.code(), blocks.err());
    assertTrue(blocks.out().contains("layer1.0"), blocks.out());
  }

  @Test
  void aJarFoundThroughAFolderWildcardServesToo() throws IOException {
    Path lib = Files.createDirectories(temp.resolve("lib"));
    jar(classes, lib.resolve("pocket.jar"));
    Outcome outcome = CommandsTest.netspec("summary", NETWORK, "--classpath",
        lib + File.separator + "*");
    assertEquals(0, outcome.code(), outcome.err());
    assertTrue(outcome.out().contains("parameters:"), outcome.out());
  }

  @Test
  void aClassNotFoundIsReportedWithEveryEntryAndTheMissingOnesMarked() {
    Path nowhere = temp.resolve("nowhere");
    Outcome outcome = CommandsTest.netspec("summary", "my.nets.Absent", "--classpath",
        nowhere + File.pathSeparator + classes);
    assertEquals(2, outcome.code());
    assertEquals("netspec: unknown network 'my.nets.Absent': no class of that name in netspec's "
        + "own classes or on the class path (" + nowhere + " (missing), " + classes + "); add "
        + "the jar or class folder that holds it with --classpath <path[:path...]> or the "
        + "NETSPEC_CLASSPATH variable\n", outcome.err());
  }

  @Test
  void theVariableServesLikeTheOption() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp",
        System.getProperty("java.class.path"), NetspecCommand.class.getName(), "summary",
        NETWORK).redirectErrorStream(true);
    builder.environment().put(NetworkClassPath.VARIABLE, classes.toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.startsWith("PocketNet (my.nets.PocketNet)"), output);
  }

  private static void jar(Path folder, Path jar) throws IOException {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> files = Files.walk(folder)) {
      for (Path path : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(folder.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, out);
        out.closeEntry();
      }
    }
  }
}
