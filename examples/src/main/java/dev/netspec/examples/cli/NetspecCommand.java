package dev.netspec.examples.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

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

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "when a command fails, print the stack trace too")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with netspec's error handling: a user's mistake is one line, and so is
   * anything unexpected, an Error included; {@code --verbose} adds the stack trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new NetspecCommand());
    cli.setExecutionStrategy(parsed -> {
      try {
        return new CommandLine.RunLast().execute(parsed);
      } catch (Error e) { // picocli passes on Exceptions only
        List<CommandLine> commands = parsed.asCommandLineList();
        throw new CommandLine.ExecutionException(commands.get(commands.size() - 1),
            e.toString(), e);
      }
    });
    cli.setExecutionExceptionHandler(new FailureReport());
    return cli;
  }
}
