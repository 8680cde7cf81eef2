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
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netspec parity}: loads a PyTorch state dict from a {@code .safetensors} file, runs the
 * file's {@code input} (NCHW) through the network in inference mode and prints, last, {@code
 * max_rel_err=<number>}: max |out − output| / max |output|.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
    description = {"Check a network against PyTorch: load the PyTorch state dict in a"
        + " .safetensors file (PyTorch's key names, convolution weights OIHW), run its tensor"
        + " 'input' (NCHW) in inference mode and compare with its tensor 'output'.",
        "Prints max_rel_err=<max |out - output| / max |output|> last.",
        "'input' and 'output' hold finite values, at most 16,777,216 each.",
        "reference/parity_reference.py writes such files from PyTorch."})
final class ParityCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "<network>",
      description = "a zoo name (${COMPLETION-CANDIDATES}) or a generated class",
      completionCandidates = SummaryCommand.ZooNames.class)
  String network;

  @Parameters(index = "1", paramLabel = "<file.safetensors>",
      description = "the state dict plus 'input' and 'output'")
  Path file;

  @Mixin ImportOptions weights;

  @Mixin DeviceOptions placement;

  @Option(names = "--max-rel-err", paramLabel = "<bound>",
      description = "exit with status 1 when max_rel_err exceeds this bound (an output holding "
          + "NaN or infinity exits with 1 in any case)")
  Double bound;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    NetworkDescriptor<?> descriptor = Zoo.resolve(network);
    double error;
    WeightImport weightImport = weights.importFor(descriptor);
    try (SafetensorsFile source = ImportOptions.open(file)) {
      // before the network is built and its weights loaded
      Parity.Checked parity = Parity.check(source);
      Model<? extends NetworkGraph> model = Model.create(descriptor, Mode.INFERENCE, 0L,
          placement.modelOptions());
      try (model) {
        ImportReport report = weightImport
            .into(model, source);
        out.printf("%s: %s%n", descriptor.name(), report.summary());
        report.missing().forEach(m -> out.println("  missing " + m));
        report.unexpected().forEach(u -> out.println("  unexpected " + u));
        Parity.Result result = Parity.run(model, parity);
        out.printf("input %s (NCHW), output %s, max |output| %s%n", result.inputShape(),
            result.outputShape(), number(result.maxReference()));
        error = result.maxRelativeError();
      }
    }
    out.println("max_rel_err=" + number(error));
    out.flush();
    if (Double.isNaN(error)) {
      spec.commandLine().getErr().println("netspec: the network's output holds NaN or infinity");
      spec.commandLine().getErr().flush();
      return 1;
    }
    return bound != null && error > bound ? 1 : 0;
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.3e", value);
  }
}
