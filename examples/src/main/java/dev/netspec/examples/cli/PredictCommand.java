package dev.netspec.examples.cli;

import dev.netspec.runtime.data.ImageFolder;
import dev.netspec.runtime.io.Classifier;
import dev.netspec.runtime.io.Predictor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netspec predict}: the most likely classes of images. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Print the top classes, with probabilities, of images (PNG, JPEG, BMP, GIF) or "
        + "of every image in folders, from a checkpoint or an exported SavedModel.")
final class PredictCommand implements Callable<Integer> {
  private static final int BATCH = 32;

  @Parameters(index = "0", paramLabel = "<model>",
      description = "a checkpoint (.safetensors), a run folder (its best checkpoint) or a "
          + "SavedModel folder")
  Path model;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "<image|folder>",
      description = "images, or folders of images")
  List<Path> inputs;

  @Option(names = "--top", defaultValue = "5",
      description = "classes to show per image (default: ${DEFAULT-VALUE})")
  int top;

  @Option(names = "--network", description = "the network to load a checkpoint into (default: "
      + "the one it records)")
  String network;

  @Mixin DeviceOptions devices;

  @Mixin EngineOption engine;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (top < 1) {
      throw new IllegalArgumentException("--top must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Path> files = images(inputs);
    int unreadable = 0;
    try (Classifier classifier = ModelPath.open(model, network, devices.modelOptions(),
        engine.engine)) {
      Predictor predictor = new Predictor(classifier, BATCH);
      List<Path> batch = new ArrayList<>();
      for (int next = 0; next < files.size(); next++) {
        Path file = files.get(next);
        try {
          predictor.add(ImageFolder.read(file, predictor.info().channels()));
          batch.add(file);
        } catch (IllegalArgumentException e) {
          // one bad file among many: say which and go on with the others
          err.println("netspec: " + e.getMessage());
          err.flush();
          unreadable++;
        }
        if (predictor.full() || (next == files.size() - 1 && !batch.isEmpty())) {
          print(batch, predictor.predict(), predictor.info().classNames(), out);
          batch.clear();
        }
      }
      EngineOption.report(classifier.engineDecision(), err);
    }
    out.flush();
    if (unreadable > 0) {
      if (files.size() > 1) {
        err.printf(Locale.ROOT, "netspec: %d of %d images could not be read%n", unreadable,
            files.size());
      }
      err.flush();
      return FailureReport.REFUSED;
    }
    return 0;
  }

  /** Prints the top classes of each of {@code files} from its row of {@code probabilities}. */
  private void print(List<Path> files, double[][] probabilities, List<String> classes,
      PrintWriter out) {
    for (int i = 0; i < files.size(); i++) {
      double[] p = probabilities[i];
      StringBuilder line = new StringBuilder(files.get(i).toString()).append(':');
      for (int c : Predictor.top(p, top)) {
        line.append(String.format(Locale.ROOT, "  %s %.1f%%", classes.get(c), 100 * p[c]));
      }
      out.println(line);
    }
    out.flush();
  }

  /** The files given and the images in the folders given, sorted within each folder. */
  private static List<Path> images(List<Path> inputs) {
    List<Path> files = new ArrayList<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> walk = Files.walk(input)) {
          List<Path> found = walk.filter(Files::isRegularFile)
              .filter(PredictCommand::looksLikeImage).sorted().toList();
          if (found.isEmpty()) {
            throw new IllegalArgumentException("no images (png, jpg, jpeg, bmp, gif) in " + input);
          }
          files.addAll(found);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + input + ": " + e.getMessage(), e);
        }
      } else if (Files.isRegularFile(input)) {
        files.add(input);
      } else {
        throw new IllegalArgumentException("no such image or folder: " + input);
      }
    }
    return files;
  }

  private static boolean looksLikeImage(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg")
        || name.endsWith(".bmp") || name.endsWith(".gif");
  }
}
