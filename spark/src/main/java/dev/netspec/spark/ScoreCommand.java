package dev.netspec.spark;

import dev.netspec.examples.cli.EngineOption;
import dev.netspec.examples.cli.FailureReport;
import dev.netspec.examples.cli.ModelPath;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.engine.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code netspec score}: scores a folder or a Parquet table of images on Spark and writes the top
 * classes of each to Parquet. The main class for {@code spark-submit}, which gives the master;
 * run by {@code java} (as {@code ./netspec score} does), it runs on {@code local[*]} unless
 * {@code --master} says otherwise.
 */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score every image of a folder or a Parquet table on Spark with a checkpoint, "
        + "run folder or SavedModel, and write path, top classes, probabilities and error per "
        + "image to a Parquet folder. An image that cannot be read is reported in its row.")
public final class ScoreCommand implements Callable<Integer> {
  private static final String LOG_CONFIGURATION = "log4j2.configurationFile";

  @Parameters(index = "0", paramLabel = "<model>",
      description = "a checkpoint (.safetensors), a run folder (its best checkpoint) or a "
          + "SavedModel folder, at a path every executor can read")
  Path model;

  @Parameters(index = "1", paramLabel = "<images>",
      description = "a folder of images (png, jpg, jpeg, bmp, gif, at any depth), or a Parquet "
          + "table (a .parquet file or a folder of them) of paths and optionally their bytes")
  String input;

  @Option(names = "--out", required = true, paramLabel = "<folder>",
      description = "the Parquet folder to write")
  String output;

  @Option(names = "--top", defaultValue = "5",
      description = "classes kept per image (default: ${DEFAULT-VALUE})")
  int top;

  @Option(names = "--network", description = "the network to load a checkpoint into (default: "
      + "the one it records)")
  String network;

  @Option(names = "--partitions", paramLabel = "<n>", description = "partitions, each scored by "
      + "a model of its own (default: Spark's default parallelism, the cores in local mode)")
  Integer partitions;

  @Option(names = "--threads", defaultValue = "1", description = "CPU threads per model "
      + "(0 = every core; default: ${DEFAULT-VALUE}, as Spark runs a task per core)")
  int threads;

  @Mixin EngineOption engine;

  @Option(names = "--batch", defaultValue = "32",
      description = "images per call of the network (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--path-column", defaultValue = ImageTables.PATH,
      description = "a table's column of image paths (default: ${DEFAULT-VALUE})")
  String pathColumn;

  @Option(names = "--content-column", defaultValue = ImageTables.CONTENT,
      description = "a table's column of image bytes, used where the table has it (default: "
          + "${DEFAULT-VALUE})")
  String contentColumn;

  @Option(names = "--master", description = "Spark's master when spark-submit gives none "
      + "(default: local[*])")
  String master;

  @Option(names = "--overwrite", description = "replace the output folder when it exists")
  boolean overwrite;

  @Option(names = "--verbose", description = "a failure's stack trace, and TensorFlow's logs")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ScoringOptions options = new ScoringOptions(model.toAbsolutePath().toString(), network, top,
        batch, threads, engine.engine);
    // a model that cannot be opened is refused here, in one line, not by every task
    ModelPath.open(model, network, ModelOptions.defaults(), Engine.TENSORFLOW).close();
    SparkSession spark = session();
    try {
      int spread = partitions != null ? partitions
          : spark.sparkContext().defaultParallelism();
      ScoringSummary summary = BatchScoring.score(
          ImageTables.open(spark, input, pathColumn, contentColumn), options, spread, output,
          overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(Locale.ROOT, "images=%d%nunreadable=%d%npartitions=%d%nseconds=%.2f%n"
              + "images_per_s=%.1f%n", summary.images(), summary.unreadable(),
          summary.partitions(), summary.seconds(), summary.imagesPerSecond());
      out.flush();
    } finally {
      spark.stop();
    }
    return 0;
  }

  private SparkSession session() {
    SparkSession.Builder builder = SparkSession.builder().appName("netspec score");
    if (master != null) {
      builder.master(master);
    } else if (!new SparkConf().contains("spark.master")) {
      builder.master("local[*]");
    }
    return builder.getOrCreate();
  }

  /** Runs {@code netspec score} with {@code args}; a refused argument or failure says why. */
  public static void main(String[] args) {
    // before Spark's first log line; spark-submit has set up its logging before this runs
    if (System.getProperty(LOG_CONFIGURATION) == null
        && !Arrays.asList(args).contains("--verbose")) {
      System.setProperty(LOG_CONFIGURATION, "dev/netspec/spark/log4j2-score.properties");
    }
    System.exit(commandLine().execute(args));
  }

  /** The command, failures reported as {@code netspec}'s other commands report theirs. */
  static CommandLine commandLine() {
    return new CommandLine(new ScoreCommand()).setExecutionExceptionHandler(new FailureReport());
  }
}
