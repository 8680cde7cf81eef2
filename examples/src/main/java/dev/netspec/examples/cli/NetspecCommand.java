package dev.netspec.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code netspec}: the command line over the zoo and any generated network. */
@Command(
    name = "netspec",
    mixinStandardHelpOptions = true,
    version = "netspec 0.1.0",
    description = "Convolutional networks declared as annotated Java interfaces.",
    subcommands = {SummaryCommand.class, TrainCommand.class, EvaluateCommand.class,
        ExportCommand.class, PredictCommand.class, GraphCommand.class, BenchCommand.class,
        ParityCommand.class, WeightsCommand.class})
public final class NetspecCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with netspec's error handling: a user's mistake is one line, not a trace. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new NetspecCommand());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
        line.getErr().println("netspec: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli;
  }
}
