package dev.netspec.runtime.io;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where netspec keeps what it measured on this machine (oneDNN's verdict, kernel checks, engine
 * timings): {@code $XDG_CACHE_HOME/netspec}, or {@code ~/.cache/netspec} when that is not set.
 */
public final class CacheFolder {
  private CacheFolder() {}

  /** The folder for a process with {@code environment}. */
  public static Path of(Map<String, String> environment) {
    String xdg = environment.get("XDG_CACHE_HOME");
    return xdg != null && !xdg.isBlank() ? Path.of(xdg, "netspec")
        : Path.of(System.getProperty("user.home"), ".cache", "netspec");
  }

  /** The folder for this process. */
  public static Path ofProcess() {
    return of(System.getenv());
  }
}
