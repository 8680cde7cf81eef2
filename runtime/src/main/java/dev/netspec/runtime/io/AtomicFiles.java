package dev.netspec.runtime.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see the old version or the new one, never half of one: write a
 * temporary file beside it, {@code .<name>.tmp}, then rename it over the target. A process killed
 * in between leaves that temporary file, which {@link #isTemporary} recognizes.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes the temporary file. */
  @FunctionalInterface
  public interface Writer {
    void write(Path temporary) throws IOException;
  }

  /** Writes {@code target} through {@code writer}, then renames it into place. */
  public static void write(Path target, Writer writer) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Path temporary = directory.resolve(temporaryName(target));
    try {
      writer.write(temporary);
      FaultInjection.reach("rename:" + target.getFileName());
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static String temporaryName(Path target) {
    return "." + target.getFileName() + ".tmp";
  }

  /** Whether {@code file} is the temporary file of some target (left by a killed process). */
  public static boolean isTemporary(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(".") && name.endsWith(".tmp");
  }

  /** Copies {@code source} over {@code target} atomically. */
  public static void copy(Path source, Path target) throws IOException {
    write(target, temporary -> Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING));
  }
}
