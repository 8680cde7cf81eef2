package dev.netspec.runtime.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** Why a file operation failed, in words for a one-line message. */
public final class IoFailures {
  private IoFailures() {}

  /** "permission denied on /x", "/x: No space left on device", else the exception itself. */
  public static String reason(IOException e) {
    if (e instanceof AccessDeniedException denied) {
      return "permission denied on " + denied.getFile();
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    return e.toString();
  }
}
