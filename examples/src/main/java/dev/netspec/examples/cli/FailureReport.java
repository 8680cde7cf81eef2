package dev.netspec.examples.cli;

import dev.netspec.runtime.cluster.ClusterFailureException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * How a failed command ends: a refusal of its input is one line (exit status 2); anything else,
 * the last resort, is one line with a hint to rerun with {@code --verbose} (exit status 1).
 * {@code --verbose} adds the stack trace to either.
 */
public final class FailureReport implements CommandLine.IExecutionExceptionHandler {
  static final int REFUSED = 2;
  static final int UNEXPECTED = 1;

  @Override
  public int handleExecutionException(Exception exception, CommandLine line, ParseResult parsed) {
    // an Error reaches here wrapped, see NetspecCommand.commandLine
    Throwable failure = exception instanceof CommandLine.ExecutionException
        && exception.getCause() != null ? exception.getCause() : exception;
    boolean verbose = verbose(parsed);
    PrintWriter err = line.getErr();
    int status;
    if (failure instanceof ClusterFailureException) {
      // which task failed and what to do: the message is written for the user
      err.println("netspec: " + failure.getMessage());
      status = UNEXPECTED;
    } else if (isRefusal(failure)) {
      err.println("netspec: " + failure.getMessage());
      status = REFUSED;
    } else {
      err.println("netspec: " + describe(failure)
          + (verbose ? "" : " (rerun with --verbose for the stack trace)"));
      status = UNEXPECTED;
    }
    if (verbose) {
      failure.printStackTrace(err);
    }
    err.flush();
    return status;
  }

  /**
   * What netspec itself refused, with a message written for the user. TensorFlow's own invalid
   * argument errors are IllegalArgumentExceptions too, but they mean a check netspec lacks.
   */
  private static boolean isRefusal(Throwable failure) {
    return (failure instanceof IllegalArgumentException
        || failure instanceof IllegalStateException
        || failure instanceof UncheckedIOException)
        && failure.getMessage() != null && !fromTensorFlow(failure);
  }

  private static boolean fromTensorFlow(Throwable failure) {
    return failure.getClass().getName().startsWith("org.tensorflow.");
  }

  private static String describe(Throwable failure) {
    if (failure instanceof OutOfMemoryError) {
      return "out of memory (" + failure.getMessage() + "): give Java more, e.g. "
          + "NETSPEC_JAVA_OPTS=-Xmx8g ./netspec ...";
    }
    // the first line only: TensorFlow's messages go on with the graph nodes involved
    String message = failure.getMessage() == null ? ""
        : ": " + failure.getMessage().lines().findFirst().orElse("");
    return (fromTensorFlow(failure) ? "TensorFlow failed, " : "unexpected ")
        + failure.getClass().getName() + message;
  }

  /** Whether {@code --verbose} was given, before the subcommand or after it. */
  private static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
