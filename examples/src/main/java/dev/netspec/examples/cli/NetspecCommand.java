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
      description = "show TensorFlow's own log lines (through ./netspec) and, when a command "
          + "fails, the stack trace")
  boolean verbose;

  @Option(names = NetworkClassPath.OPTION, paramLabel = "<path[:path...]>",
      scope = ScopeType.INHERIT,
      description = "jars and class folders holding your generated networks, searched after "
          + "netspec's own classes; also read from " + NetworkClassPath.VARIABLE)
  String classPath;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The command line with netspec's error handling: a user's mistake is one line, and so is
   * anything unexpected, an Error included; {@code --verbose} adds the stack trace. Commands run
   * with the {@link NetworkClassPath} of {@code --classpath} and {@value
   * NetworkClassPath#VARIABLE}.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new NetspecCommand());
    cli.setExecutionStrategy(parsed -> {
      List<CommandLine> commands = parsed.asCommandLineList();
      CommandLine command = commands.get(commands.size() - 1);
      NetworkClassPath classPath;
      try {
        classPath = NetworkClassPath.of(classPathOption(parsed),
            System.getenv(NetworkClassPath.VARIABLE));
      } catch (IllegalArgumentException e) { // an entry that is no path
        throw new CommandLine.ExecutionException(command, e.getMessage(), e);
      }
      try (classPath) {
        return classPath.run(() -> new CommandLine.RunLast().execute(parsed));
      } catch (Error e) { // picocli passes on Exceptions only
        throw new CommandLine.ExecutionException(command, e.toString(), e);
      }
    });
    cli.setExecutionExceptionHandler(new FailureReport());
    return cli;
  }

  /** {@code --classpath}, before the command's name or after it (the last one given wins). */
  private static String classPathOption(CommandLine.ParseResult parsed) {
    String value = null;
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      value = p.matchedOptionValue(NetworkClassPath.OPTION, value);
    }
    return value;
  }
}
