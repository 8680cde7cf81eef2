package dev.netspec.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.cli.ModelPath;
import dev.netspec.examples.cli.NetspecCommand;
import dev.netspec.runtime.ModelOptions;
import dev.netspec.runtime.data.ImageFolder;
import dev.netspec.runtime.engine.Engine;
import dev.netspec.runtime.io.Classifier;
import dev.netspec.runtime.io.ModelInfo;
import dev.netspec.runtime.io.Predictor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;

/**
 * Scores a folder of a few thousand synthetic images, and Parquet tables of some of them, on
 * Spark's {@code local[2]} with a briefly trained checkpoint, and holds the rows to what {@code
 * netspec predict} computes for the same images.
 */
class BatchScoringTest {
  private static final int IMAGES = 2000;
  private static final int PARTITIONS = 3;
  private static final int TOP = 3;
  private static final Pattern PREDICTED = Pattern.compile("  (\\S+) ([0-9.]+)%");

  @TempDir static Path temp;
  static Path run;
  static Path folder;
  static List<Path> images;
  static List<Path> broken;
  static SparkSession spark;
  static ScoringSummary summary;
  static Map<Path, Row> scores;
  static Map<Path, double[]> predicted;
  static List<String> classes;

  @BeforeAll
  static void scoreTheFolder() throws IOException {
    run = temp.resolve("run");
    StringWriter err = new StringWriter();
    CommandLine cli = NetspecCommand.commandLine().setErr(new PrintWriter(err))
        .setOut(new PrintWriter(new StringWriter()));
    assertEquals(0, cli.execute("train", "--train-images", "64", "--val-images", "32",
        "--epochs", "1", "--batch", "32", "--out", run.toString(), "--no-progress"), err::toString);
    folder = temp.resolve("images");
    images = SyntheticImages.write(folder, IMAGES, 4);
    broken = SyntheticImages.writeBroken(folder, images.get(0));
    Files.writeString(folder.resolve("part0").resolve("notes.txt"), "not an image");
    spark = SparkSession.builder().master("local[2]").appName("BatchScoringTest")
        .config("spark.ui.enabled", false).config("spark.sql.shuffle.partitions", 2)
        .getOrCreate();
    summary = BatchScoring.score(ImageTables.folder(spark, folder.toString()), options(),
        PARTITIONS, temp.resolve("scores").toString(), SaveMode.ErrorIfExists);
    scores = byPath(temp.resolve("scores"));
    predicted = predictInProcess(images);
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void everyImageIsScoredOnceAndOnlyImages() {
    Set<Path> expected = new HashSet<>(images);
    expected.addAll(broken);
    Set<Path> missing = new HashSet<>(expected);
    missing.removeAll(scores.keySet());
    Set<Path> extra = new HashSet<>(scores.keySet());
    extra.removeAll(expected);
    assertEquals(Set.of(), missing, "not scored");
    assertEquals(Set.of(), extra, "scored but not an image of the folder");
    assertEquals(IMAGES + broken.size(), summary.images(), "one row per image, none twice");
    assertEquals(summary.images(), spark.read().parquet(temp.resolve("scores").toString())
        .count());
  }

  @Test
  void imagesThatCannotBeScoredAreReportedInTheirRows() {
    Set<Path> failed = scores.entrySet().stream().filter(e -> !e.getValue().isNullAt(3))
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    assertEquals(Set.copyOf(broken), failed);
    assertEquals(broken.size(), summary.unreadable());
    for (Path file : broken) {
      Row row = scores.get(file);
      assertTrue(row.getString(3).contains(file.getFileName().toString()), row::toString);
      assertTrue(row.isNullAt(1) && row.isNullAt(2), row::toString);
    }
    assertTrue(scores.get(broken.get(3)).getString(3).contains("has 1 channel"),
        () -> scores.get(broken.get(3)).getString(3));
  }

  @Test
  void eachPartitionOpensOneModelAndClosesIt() {
    assertEquals(PARTITIONS, summary.partitions());
    assertEquals(PARTITIONS, summary.modelsOpened());
    assertEquals(PARTITIONS, summary.modelsClosed());
  }

  @Test
  void probabilitiesAreThoseOfPredictsCode() {
    for (Path image : images) {
      assertMatchesPrediction(scores.get(image), predicted.get(image));
    }
  }

  @Test
  void topClassesAreThoseNetspecPredictPrints() {
    Path part = folder.resolve("part1");
    StringWriter out = new StringWriter();
    CommandLine cli = NetspecCommand.commandLine().setOut(new PrintWriter(out))
        .setErr(new PrintWriter(new StringWriter()));
    assertEquals(0, cli.execute("predict", run.toString(), part.toString(), "--top",
        String.valueOf(TOP)));
    List<String> lines = out.toString().lines().toList();
    assertEquals(IMAGES / 4, lines.size());
    for (String line : lines) {
      int colon = line.indexOf(':');
      Row row = scores.get(Path.of(line.substring(0, colon)));
      Matcher m = PREDICTED.matcher(line.substring(colon + 1));
      for (int i = 0; i < TOP; i++) {
        assertTrue(m.find(), line);
        assertEquals(m.group(1), row.getList(1).get(i), line);
        assertEquals(Double.parseDouble(m.group(2)), 100 * row.<Double>getList(2).get(i), 0.051,
            line);
      }
    }
  }

  @Test
  void aParquetTableOfBytesOrOfPathsIsScoredLikeTheFolder() {
    StructType schema = new StructType().add("path", DataTypes.StringType)
        .add("content", DataTypes.BinaryType);
    List<Row> rows = new ArrayList<>();
    List<Path> some = images.subList(0, 100);
    for (Path image : some) {
      rows.add(RowFactory.create(image.toString(), SyntheticImages.bytes(image)));
    }
    rows.add(RowFactory.create("in-table.png", new byte[] {1, 2, 3}));
    Path missing = temp.resolve("missing.png");
    rows.add(RowFactory.create(missing.toString(), null));
    for (Path image : images.subList(100, 150)) {
      rows.add(RowFactory.create(image.toString(), null)); // read from its file by the scorer
    }
    String table = temp.resolve("table.parquet").toString();
    spark.createDataFrame(rows, schema).write().parquet(table);

    ScoringSummary fromTable = BatchScoring.score(
        ImageTables.open(spark, table, "path", "content"), options(), 2,
        temp.resolve("table-scores").toString(), SaveMode.ErrorIfExists);

    Map<Path, Row> scored = byPath(temp.resolve("table-scores"));
    assertEquals(152, fromTable.images());
    assertEquals(2, fromTable.unreadable());
    for (Path image : images.subList(0, 150)) {
      assertMatchesPrediction(scored.get(image), predicted.get(image));
    }
    assertTrue(scored.get(Path.of("in-table.png")).getString(3)
        .startsWith("cannot decode in-table.png"), () -> scored.toString());
    assertTrue(scored.get(missing).getString(3).startsWith("cannot read " + missing),
        () -> scored.get(missing).getString(3));
  }

  @Test
  void aTableWithoutThePathColumnIsRefusedWithItsColumns() {
    String table = temp.resolve("paths.parquet").toString();
    spark.createDataFrame(List.of(RowFactory.create("x.png")),
        new StructType().add("path", DataTypes.StringType)).write().parquet(table);
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ImageTables.open(spark, table, "file", "content"));
    assertTrue(refused.getMessage().contains("has no column 'file' (it has path"),
        refused::getMessage);
  }

  @Test
  void theModelIsClosedOnceItsLastBatchIsScoredAndNotBefore() {
    ScoringCounters counters = new ScoringCounters(new LongAccumulator(), new LongAccumulator(),
        new LongAccumulator(), new LongAccumulator());
    List<Row> forty = images.subList(0, 40).stream()
        .map(image -> RowFactory.create(image.toString(), null)).toList();
    CountingClassifier classifier = new CountingClassifier(
        ModelPath.open(run, null, ModelOptions.defaults(), Engine.TENSORFLOW));
    ScoredRows rows = new ScoredRows(forty.iterator(), classifier, options(), counters);
    rows.next();
    assertEquals(0, classifier.closes, "eight images are still to be scored");
    int given = 1;
    while (rows.hasNext()) {
      rows.next();
      given++;
    }
    assertEquals(40, given);
    rows.close(); // as the task's end does again
    assertEquals(1, classifier.closes);
    assertEquals(1, counters.modelsClosed().value());
    assertEquals(40, counters.scored().value());
  }

  /** A classifier that counts how often it is closed. */
  private static final class CountingClassifier implements Classifier {
    private final Classifier inner;
    int closes;

    CountingClassifier(Classifier inner) {
      this.inner = inner;
    }

    @Override
    public ModelInfo info() {
      return inner.info();
    }

    @Override
    public Map<String, String> metadata() {
      return inner.metadata();
    }

    @Override
    public TFloat32 logits(TFloat32 images) {
      return inner.logits(images);
    }

    @Override
    public void close() {
      closes++;
      inner.close();
    }
  }

  @Test
  void aFolderWithoutImagesIsRefused() throws IOException {
    Path notes = Files.createDirectories(temp.resolve("notes"));
    Files.writeString(notes.resolve("readme.txt"), "no images here");
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ImageTables.folder(spark, notes.toString()));
    assertEquals("no images (png, jpg, jpeg, bmp, gif) in " + notes, refused.getMessage());
  }

  @Test
  void aModelThatCannotBeOpenedIsRefusedBeforeSparkRuns() {
    StringWriter err = new StringWriter();
    Path none = temp.resolve("no-such-run");
    int code = ScoreCommand.commandLine().setErr(new PrintWriter(err))
        .execute(none.toString(), folder.toString(), "--out", temp.resolve("x").toString());
    assertEquals(2, code, err::toString);
    assertTrue(err.toString().startsWith("netspec: ") && err.toString().contains(none.toString()),
        err::toString);
    assertTrue(Files.notExists(temp.resolve("x")));
  }

  private static ScoringOptions options() {
    return new ScoringOptions(run.toString(), null, TOP, 32, 1, Engine.AUTO);
  }

  private static void assertMatchesPrediction(Row row, double[] probabilities) {
    assertNull(row.get(3), row::toString);
    int[] top = Predictor.top(probabilities, TOP);
    List<String> names = row.getList(1);
    List<Double> chances = row.getList(2);
    for (int i = 0; i < TOP; i++) {
      assertEquals(classes.get(top[i]), names.get(i), row::toString);
      assertEquals(probabilities[top[i]], chances.get(i), 1e-5, row::toString);
    }
  }

  /** The rows of a scores table by file path (a folder's rows name theirs as file: URIs). */
  private static Map<Path, Row> byPath(Path table) {
    Map<Path, Row> rows = new HashMap<>();
    for (Row row : spark.read().parquet(table.toString()).collectAsList()) {
      String path = row.getString(0);
      Path file = path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
      assertNull(rows.put(file, row), () -> path + " scored twice");
    }
    return rows;
  }

  /** What {@code netspec predict}'s code computes for {@code files}, in its batches. */
  private static Map<Path, double[]> predictInProcess(List<Path> files) {
    Map<Path, double[]> probabilities = new HashMap<>();
    try (Classifier classifier = ModelPath.open(run, null, ModelOptions.defaults(),
        Engine.TENSORFLOW)) {
      Predictor predictor = new Predictor(classifier, 32);
      classes = predictor.info().classNames();
      List<Path> batch = new ArrayList<>();
      for (Path file : files) {
        predictor.add(ImageFolder.read(file, 3));
        batch.add(file);
        if (predictor.full() || batch.size() + probabilities.size() == files.size()) {
          double[][] p = predictor.predict();
          for (int i = 0; i < batch.size(); i++) {
            probabilities.put(batch.get(i), p[i]);
          }
          batch.clear();
        }
      }
    }
    return probabilities;
  }
}
