package dev.netspec.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The images to score as a table of {@link #PATH} and {@link #CONTENT} (an image file's bytes,
 * or null where the scorer reads the file at that path itself): from a folder of images, or from
 * a Parquet table of paths, with or without their bytes.
 */
public final class ImageTables {
  public static final String PATH = "path";
  public static final String CONTENT = "content";

  /** The extensions {@code netspec predict} takes from a folder. */
  private static final Pattern IMAGE_NAME =
      Pattern.compile("\\.(png|jpg|jpeg|bmp|gif)$", Pattern.CASE_INSENSITIVE);

  private static final StructType SCHEMA = new StructType()
      .add(PATH, DataTypes.StringType, false).add(CONTENT, DataTypes.BinaryType, true);

  private ImageTables() {}

  /**
   * A Parquet table when {@code input} is a {@code .parquet} file or a folder holding {@code
   * .parquet} files, else a folder of images.
   *
   * @param pathColumn the table's column of image paths
   * @param contentColumn the table's column of image bytes, used when the table has it
   */
  public static Dataset<Row> open(SparkSession spark, String input, String pathColumn,
      String contentColumn) {
    return isParquet(spark, input) ? parquet(spark, input, pathColumn, contentColumn)
        : folder(spark, input);
  }

  /**
   * Every image (png, jpg, jpeg, bmp, gif, in any case) under {@code folder}, at any depth, by
   * path: Spark lists them, and each scorer reads its own. Spark's file scans leave out empty
   * files, so the listing is taken from its file index instead, and an empty image file gets a
   * row that says it cannot be decoded.
   *
   * @throws IllegalArgumentException when the folder holds no image
   */
  public static Dataset<Row> folder(SparkSession spark, String folder) {
    String[] files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
        .load(folder).inputFiles();
    List<Row> images = Arrays.stream(files).filter(IMAGE_NAME.asPredicate()).sorted()
        .map(path -> RowFactory.create(path, null)).toList();
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images (png, jpg, jpeg, bmp, gif) in " + folder);
    }
    return spark.createDataFrame(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(images), SCHEMA);
  }

  /**
   * The images a Parquet table names: its string column {@code pathColumn}, and the bytes of
   * its binary column {@code contentColumn} where it has one (a table written from Spark's
   * {@code binaryFile} source has both, as {@code path} and {@code content}).
   *
   * @throws IllegalArgumentException naming the table's columns when the path column is missing
   *     or one of them has another type
   */
  public static Dataset<Row> parquet(SparkSession spark, String table, String pathColumn,
      String contentColumn) {
    Dataset<Row> rows = spark.read().parquet(table);
    checkType(rows, table, pathColumn, DataTypes.StringType);
    boolean hasContent = Arrays.asList(rows.columns()).contains(contentColumn);
    if (hasContent) {
      checkType(rows, table, contentColumn, DataTypes.BinaryType);
    }
    return rows.select(col(pathColumn).as(PATH),
        hasContent ? col(contentColumn).as(CONTENT) : lit(null).cast(DataTypes.BinaryType)
            .as(CONTENT));
  }

  private static void checkType(Dataset<Row> rows, String table, String column, DataType type) {
    StructField field = Arrays.stream(rows.schema().fields())
        .filter(f -> f.name().equals(column)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(table + " has no column '" + column
            + "' (it has " + String.join(", ", rows.columns()) + "): name the column of image "
            + "paths with --path-column"));
    if (!field.dataType().equals(type)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "column '%s' of %s holds %s; it should hold %s", column, table,
          field.dataType().simpleString(), type.simpleString()));
    }
  }

  private static boolean isParquet(SparkSession spark, String input) {
    if (input.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
      return true;
    }
    Path path = new Path(input);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        throw new IllegalArgumentException("no such folder or Parquet table: " + input);
      }
      return fs.getFileStatus(path).isDirectory()
          && Arrays.stream(fs.listStatus(path)).filter(FileStatus::isFile)
              .anyMatch(f -> f.getPath().getName().endsWith(".parquet"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + input + ": " + e.getMessage(), e);
    }
  }
}
