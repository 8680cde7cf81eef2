package dev.netspec.runtime.train;

import dev.netspec.runtime.io.AtomicFiles;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.io.IoFailures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folder of one training run: {@code epoch-0001.safetensors} … (the latest few), {@code
 * best.safetensors}, {@code metrics.csv} and {@code metrics.png}.
 *
 * <p>An epoch's checkpoint is its commit: once it is in place, the epoch counts as done, and what
 * follows it (the best copy, pruning, the plot, the metrics row) can be redone from it. Between
 * the checkpoint and the best copy, {@code best.safetensors} is stale; {@link #bestCheckpoint}
 * knows which file is the best at every instant.
 */
public final class RunDirectory {
  private static final Pattern EPOCH = Pattern.compile("epoch-(\\d+)\\.safetensors");
  public static final String BEST = "best.safetensors";

  private final Path path;

  private RunDirectory(Path path) {
    this.path = path;
  }

  /**
   * Creates the folder if needed and checks that files can be written in it.
   *
   * @throws IllegalArgumentException when the folder cannot be made or written to
   */
  public static RunDirectory prepare(Path path) {
    for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p) && !Files.isDirectory(p)) {
        throw new IllegalArgumentException("cannot use " + path + " as the output folder: " + p
            + " exists and is not a folder; choose another --out");
      }
    }
    try {
      Files.createDirectories(path);
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException("cannot use " + path + " as the output folder: "
          + e.getFile() + " exists and is not a folder; choose another --out", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the output folder " + path + ": "
          + IoFailures.reason(e) + "; choose another --out", e);
    }
    try {
      Path probe = Files.createTempFile(path, ".write-test", ".tmp");
      Files.delete(probe);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write to the output folder " + path + ": "
          + IoFailures.reason(e) + "; choose another --out", e);
    }
    return new RunDirectory(path);
  }

  public Path path() {
    return path;
  }

  public Path checkpoint(int epoch) {
    return epochFile(path, epoch);
  }

  public Path best() {
    return path.resolve(BEST);
  }

  public Path metrics() {
    return path.resolve("metrics.csv");
  }

  public Path plot() {
    return path.resolve("metrics.png");
  }

  /** Makes {@code checkpoint} the best one (an atomic copy). */
  public void markBest(Path checkpoint) throws IOException {
    AtomicFiles.copy(checkpoint, best());
  }

  /** Deletes the temporary files of writes a killed run left unfinished. */
  public void removeLeftovers() throws IOException {
    List<Path> leftovers;
    try (Stream<Path> files = Files.list(path)) {
      leftovers = files.filter(AtomicFiles::isTemporary).toList();
    }
    for (Path file : leftovers) {
      Files.deleteIfExists(file);
    }
  }

  /** Deletes epoch checkpoints older than the newest {@code keep}. */
  public void prune(int keep) throws IOException {
    List<Integer> epochs = epochs(path);
    for (int i = 0; i < epochs.size() - keep; i++) {
      Files.deleteIfExists(checkpoint(epochs.get(i)));
    }
  }

  /**
   * The checkpoint to resume from: {@code target} itself when it is a file, else the latest epoch
   * checkpoint in the folder {@code target}.
   */
  public static Path latest(Path target) {
    if (Files.isRegularFile(target)) {
      return target;
    }
    if (!Files.isDirectory(target)) {
      throw new IllegalArgumentException("no checkpoint at " + target
          + ": give a .safetensors checkpoint or a run folder");
    }
    Optional<Integer> last = lastEpoch(target);
    return last.map(e -> epochFile(target, e))
        .orElseThrow(() -> new IllegalArgumentException("no epoch-NNNN.safetensors checkpoint in "
            + target));
  }

  /**
   * The checkpoint that is the best of the run in {@code folder} so far, as an uninterrupted run
   * has it: the latest epoch checkpoint records which epoch is the best up to it and its top-1.
   * That is {@code best.safetensors} when it holds that epoch; else, in a run stopped between an
   * epoch's checkpoint and its best copy, the epoch's own checkpoint.
   *
   * @throws IllegalArgumentException when the folder has no checkpoint
   */
  public static Path bestCheckpoint(Path folder) {
    Path best = folder.resolve(BEST);
    Optional<Integer> last = lastEpoch(folder);
    if (last.isEmpty()) {
      if (Files.isRegularFile(best)) {
        return best;
      }
      throw new IllegalArgumentException("no best.safetensors or epoch-NNNN.safetensors "
          + "checkpoint in " + folder);
    }
    Path latest = epochFile(folder, last.get());
    Optional<EpochRecord> record = EpochRecord.fromMetadata(
        Checkpoint.open(latest).metadata(), "checkpoint " + latest);
    if (record.isEmpty()) {
      return Files.isRegularFile(best) ? best : latest; // written before checkpoints said
    }
    if (Files.isRegularFile(best) && isBestOf(best, record.get())) {
      return best;
    }
    Path epochFile = epochFile(folder, record.get().bestEpoch());
    return Files.isRegularFile(epochFile) ? epochFile : Files.isRegularFile(best) ? best : latest;
  }

  /** Whether {@code checkpoint} is the epoch that {@code record} names the best. */
  private static boolean isBestOf(Path checkpoint, EpochRecord record) {
    Map<String, String> m = Checkpoint.open(checkpoint).metadata();
    return Integer.toString(record.bestEpoch()).equals(m.get("epoch"))
        && Double.toString(record.bestTop1()).equals(m.get("val_top1"));
  }

  /**
   * The latest epoch checkpoint in {@code folder} whose every value is finite and that reads in
   * full; empty if none. Checkpoints are written only when finite, but a folder may hold older
   * ones.
   */
  public static Optional<Path> lastFinite(Path folder) {
    List<Integer> epochs = epochs(folder);
    for (int i = epochs.size() - 1; i >= 0; i--) {
      Path file = epochFile(folder, epochs.get(i));
      try {
        Checkpoint.open(file).checkFinite();
        return Optional.of(file);
      } catch (IllegalArgumentException | UncheckedIOException e) {
        // not finite, truncated, unreadable or not a checkpoint: look further back
      }
    }
    return Optional.empty();
  }

  private static Optional<Integer> lastEpoch(Path folder) {
    List<Integer> epochs = epochs(folder);
    return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
  }

  private static Path epochFile(Path folder, int epoch) {
    return folder.resolve(String.format(Locale.ROOT, "epoch-%04d.safetensors", epoch));
  }

  private static List<Integer> epochs(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> EPOCH.matcher(p.getFileName().toString()))
          .filter(Matcher::matches).map(m -> Integer.parseInt(m.group(1))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }
}
