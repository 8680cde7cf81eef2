package dev.netspec.examples.cli;

import dev.netspec.runtime.data.DataSource;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which images: {@code --data}, {@code --data-dir} and the synthetic set's size. */
final class DataOptions {
  @Option(names = "--data", paramLabel = "<kind>",
      description = "synthetic (default: shapes drawn on the fly, no download), cifar10, cifar100 "
          + "(their binary versions) or folder (a folder per class, or train/ and val/ folders)")
  String kind;

  @Option(names = "--data-dir", paramLabel = "<dir>",
      description = "the folder of cifar10, cifar100 or folder data")
  Path dir;

  @Option(names = "--train-images", defaultValue = "20000",
      description = "synthetic training images (default: ${DEFAULT-VALUE})")
  int trainImages;

  @Option(names = "--val-images", defaultValue = "2000",
      description = "synthetic validation images (default: ${DEFAULT-VALUE})")
  int validationImages;

  @Option(names = "--val-fraction", defaultValue = "0.1",
      description = "the share of an image folder without train/ and val/ that validates "
          + "(default: ${DEFAULT-VALUE})")
  double validationFraction;

  @Option(names = "--data-seed", defaultValue = "1",
      description = "the synthetic images and an image folder's split follow it (default: "
          + "${DEFAULT-VALUE})")
  long seed;

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  /** Whether {@code --data} or {@code --data-dir} was given. */
  boolean given() {
    return kind != null || dir != null;
  }

  /**
   * {@code recorded} (what a checkpoint was trained on) with the settings given on the command
   * line in place of its own: {@code --val-images 500} alone evaluates on 500 of the same images.
   */
  DataSource over(DataSource recorded) {
    DataSource merged = new DataSource(recorded.kind(), recorded.path(),
        given("--data-seed") ? seed : recorded.seed(),
        given("--train-images") ? trainImages : recorded.trainImages(),
        given("--val-images") ? validationImages : recorded.validationImages(),
        given("--val-fraction") ? validationFraction : recorded.validationFraction());
    if (merged.kind() == DataSource.Kind.SYNTHETIC
        && (merged.trainImages() < 1 || merged.validationImages() < 1)) {
      throw new IllegalArgumentException("--train-images and --val-images must be at least 1");
    }
    return merged;
  }

  private boolean given(String option) {
    return command.commandLine().getParseResult().hasMatchedOption(option);
  }

  DataSource source() {
    DataSource.Kind which = kind == null
        ? (dir == null ? DataSource.Kind.SYNTHETIC : DataSource.Kind.FOLDER)
        : DataSource.Kind.of(kind);
    if (which != DataSource.Kind.SYNTHETIC && dir == null) {
      throw new IllegalArgumentException("--data " + which.id() + " needs --data-dir <dir>");
    }
    if (which == DataSource.Kind.SYNTHETIC && (trainImages < 1 || validationImages < 1)) {
      throw new IllegalArgumentException("--train-images and --val-images must be at least 1");
    }
    return new DataSource(which, which == DataSource.Kind.SYNTHETIC ? null : dir, seed,
        trainImages, validationImages, validationFraction);
  }
}
