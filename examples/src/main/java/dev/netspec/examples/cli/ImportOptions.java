package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.PyTorchNames;
import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.io.NameRules;
import dev.netspec.runtime.io.SafetensorsFile;
import dev.netspec.runtime.io.WeightImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** How a command imports a PyTorch state dict: the renaming rules and how strictly. */
final class ImportOptions {
  @Option(names = "--rules", paramLabel = "<zoo name>",
      description = "rename keys by the rules of this zoo network's family (default: the"
          + " network's own; none for a network outside the zoo)")
  String rules;

  @Option(names = "--non-strict",
      description = "leave variables the file lacks as initialized, ignore keys that match none")
  boolean nonStrict;

  /** The import for {@code network}, leaving a parity file's {@code input} and {@code output} out. */
  /** Opens a state dict, refusing a path that is no file with one clear line. */
  static SafetensorsFile open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no file " + file);
    }
    return SafetensorsFile.open(file);
  }

  WeightImport importFor(NetworkDescriptor<?> network) {
    return WeightImport.withRules(rules(rules, network))
        .strict(!nonStrict)
        .exclude(List.of(Parity.INPUT, Parity.OUTPUT));
  }

  /**
   * The renaming rules of the zoo family {@code zooName} names, or {@code network}'s own when it
   * is null.
   */
  static NameRules rules(String zooName, NetworkDescriptor<?> network) {
    if (zooName == null) {
      return PyTorchNames.forNetwork(network);
    }
    if (!Zoo.names().contains(zooName)) {
      throw new IllegalArgumentException("--rules " + zooName + ": not a zoo name ("
          + String.join(", ", Zoo.names()) + ")");
    }
    return PyTorchNames.forNetwork(zooName);
  }
}
