package dev.netspec.runtime.cluster;

/**
 * A cluster could not go on: a task did not answer within the timeout, was unreachable, or was
 * started with other settings than the chief. The message names the task and its address.
 */
public class ClusterFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterFailureException(String message) {
    super(message);
  }

  public ClusterFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
