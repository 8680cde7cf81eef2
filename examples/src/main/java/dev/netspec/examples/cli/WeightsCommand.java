package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.NetworkGraph;
import dev.netspec.runtime.io.ImportReport;
import dev.netspec.runtime.io.SafetensorsFile;
import dev.netspec.runtime.io.WeightImport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netspec weights}: checks that a PyTorch state dict in a {@code .safetensors} file loads
 * into a network, and says how: every tensor mapped, converted and assigned, or every problem.
 */
@Command(name = "weights", mixinStandardHelpOptions = true,
    description = {"Load a PyTorch state dict (.safetensors, PyTorch's key names) into a network"
        + " and report: tensors loaded, input convolutions adapted to the network's channels,"
        + " and with the options below what was left out. Every problem is listed before"
        + " anything is loaded."})
final class WeightsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<network>",
      description = "a zoo name (${COMPLETION-CANDIDATES}) or a generated class",
      completionCandidates = SummaryCommand.ZooNames.class)
  String network;

  @Parameters(index = "1", paramLabel = "<file.safetensors>", description = "the state dict")
  Path file;

  @Mixin ImportOptions weights;

  @Option(names = "--skip-head",
      description = "leave the classifier head out (fine-tuning to another number of classes)")
  boolean skipHead;

  @Option(names = "--list", description = "list every key left out, not only the counts")
  boolean list;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    NetworkDescriptor<?> descriptor = Zoo.resolve(network);
    WeightImport weightImport = weights.importFor(descriptor);
    try (SafetensorsFile source = ImportOptions.open(file)) {
      Model<? extends NetworkGraph> model = Model.create(descriptor, Mode.INFERENCE, 0L);
      try (model) {
        ImportReport report = weightImport
            .skipHead(skipHead)
            .into(model, source);
        out.printf("%s <- %s: %s%n", descriptor.name(), file, report.summary());
        report.adapted().forEach(a -> out.println("  adapted " + a));
        if (list) {
          report.missing().forEach(m -> out.println("  missing " + m));
          report.unexpected().forEach(u -> out.println("  unexpected " + u));
          report.skipped().forEach(s -> out.println("  skipped " + s));
        }
      }
    }
    out.flush();
    return 0;
  }
}
