package dev.netspec.runtime.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A cache file of measurements that processes append to, one per fingerprint of what decides
 * them (the CPU, the libraries' versions, the settings): a new CPU or library is a new file,
 * measured afresh. The file starts with its format and fingerprint as {@code #} lines; each entry
 * is one line written by one {@code O_APPEND} write, so that processes appending at once do not
 * interleave. Readers skip what they cannot parse (a torn write). A folder that cannot be written
 * keeps nothing: the measurements then live as long as the process.
 */
public final class FingerprintedLines {
  private static final System.Logger LOG = System.getLogger("dev.netspec.runtime");

  private final Path file;
  private final String header;

  private FingerprintedLines(Path file, String header) {
    this.file = file;
    this.header = header;
  }

  /**
   * The file {@code prefix-<hash of format and fingerprint>.tsv} in {@code folder}.
   *
   * @param format one line naming what the lines mean, bumped when that changes
   */
  public static FingerprintedLines in(Path folder, String prefix, String format,
      String fingerprint) {
    return new FingerprintedLines(folder.resolve(fileName(prefix, format + "\n" + fingerprint,
        "tsv")),
        "# " + format + "\n# " + fingerprint.strip().replace("\n", "\n# ") + "\n");
  }

  /** A file that keeps nothing. */
  public static FingerprintedLines none() {
    return new FingerprintedLines(null, "");
  }

  /** {@code prefix-<first 16 hex digits of the text's SHA-256>.extension}. */
  public static String fileName(String prefix, String text, String extension) {
    try {
      String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
      return prefix + "-" + hash.substring(0, 16) + "." + extension;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The entries kept so far, without the header: none when the file is new (it is created with
   * its header), unreadable, or of another format or fingerprint.
   */
  public List<String> read() {
    if (file == null) {
      return List.of();
    }
    try {
      if (!Files.isRegularFile(file)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        return List.of();
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (!text.startsWith(header)) {
        return List.of();
      }
      return text.substring(header.length()).lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot read " + file + ": " + e);
      return List.of();
    }
  }

  /** Appends {@code line} (one line, no line break of its own), or nothing where it cannot. */
  public void append(String line) {
    if (file == null) {
      return;
    }
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "cannot keep measurements in " + file + ": " + e);
    }
  }

  /** The file, or empty for {@link #none()}. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  @Override
  public String toString() {
    return file == null ? "no cache" : file.toString();
  }
}
