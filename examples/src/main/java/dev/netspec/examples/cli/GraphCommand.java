package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.NetworkDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netspec graph}: a network as a diagram, DOT always, SVG or PNG through Graphviz. */
@Command(name = "graph", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Draw a network as the processor drew it next to its class, from the "
        + "primitives each stage expands into: every stage with the first of its repeated "
        + "blocks in full (shortcuts, additions, concatenations, dual paths) and the others as "
        + "one box; or, with --blocks, every block.",
        "Writes Graphviz DOT always, and renders SVG or PNG when Graphviz's dot is installed "
            + "(apt-get install graphviz)."})
final class GraphCommand implements Callable<Integer> {
  @Parameters(paramLabel = "<network>", description = "a zoo name or a generated class")
  String network;

  @Option(names = {"-o", "--out"}, paramLabel = "<file>",
      description = "where to write: .dot, .svg or .png (default: <network>.svg with Graphviz, "
          + "else <network>.dot); the .dot is written beside it")
  Path out;

  @Option(names = "--stdout", description = "print the DOT source instead of writing files")
  boolean stdout;

  @Option(names = "--blocks", description = "every block and dense layer (the processor's "
      + "<Class>.dot) instead of the first of each stage's (<Class>.stages.dot)")
  boolean blocks;

  @Option(names = "--dot-command", defaultValue = "dot", hidden = true)
  String dotCommand;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter console = spec.commandLine().getOut();
    NetworkDescriptor<?> descriptor = Zoo.resolve(network);
    String dot = diagram(descriptor, blocks ? ".dot" : ".stages.dot");
    if (stdout) {
      console.print(dot);
      console.flush();
      return 0;
    }
    boolean graphviz = graphvizAvailable();
    Path target = out != null ? out
        : Path.of(descriptor.name().toLowerCase(Locale.ROOT) + (graphviz ? ".svg" : ".dot"));
    String format = extension(target);
    if (!List.of("dot", "gv", "svg", "png").contains(format)) {
      throw new IllegalArgumentException("cannot write '" + format + "': use a .dot, .svg or .png "
          + "file");
    }
    Path dotFile = format.equals("dot") || format.equals("gv") ? target
        : sibling(target, ".dot");
    write(dotFile, dot);
    console.printf("wrote %s%n", dotFile);
    if (dotFile != target) {
      if (!graphviz) {
        console.printf("Graphviz's '%s' is not installed, so no %s: apt-get install graphviz, or "
            + "render %s elsewhere (dot -T%s %s -o %s)%n", dotCommand, format.toUpperCase(
                Locale.ROOT), dotFile, format, dotFile, target);
      } else {
        render(dotFile, format, target);
        console.printf("wrote %s%n", target);
      }
    }
    console.flush();
    return 0;
  }

  /** A diagram the processor wrote next to the generated class. */
  private static String diagram(NetworkDescriptor<?> descriptor, String suffix)
      throws IOException {
    String resource = descriptor.type().getSimpleName() + suffix;
    try (var in = descriptor.type().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no " + resource + " beside " + descriptor.type()
            .getName() + ": it was compiled without netspec's processor writing diagrams; "
            + "compile its spec again with this netspec's processor");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private boolean graphvizAvailable() {
    try {
      Process process = new ProcessBuilder(dotCommand, "-V").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void render(Path dotFile, String format, Path target) throws IOException {
    Process process = new ProcessBuilder(dotCommand, "-T" + format, dotFile.toString(), "-o",
        target.toString()).redirectErrorStream(true).start();
    String messages = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("Graphviz could not render " + dotFile + ": " + messages);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while Graphviz rendered " + dotFile, e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + file + ": " + e, e);
    }
  }

  private static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static Path sibling(Path file, String extension) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + extension);
  }
}
