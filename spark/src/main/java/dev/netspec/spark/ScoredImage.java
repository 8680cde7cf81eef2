package dev.netspec.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of the scores table: an image's path with its top classes and their probabilities, or
 * with the reason it could not be scored.
 */
final class ScoredImage {
  static final String PATH = "path";
  static final String CLASSES = "classes";
  static final String PROBABILITIES = "probabilities";
  static final String ERROR = "error";

  /** path, classes (most likely first), their probabilities, and error (null when scored). */
  static final StructType SCHEMA = new StructType()
      .add(PATH, DataTypes.StringType, false)
      .add(CLASSES, DataTypes.createArrayType(DataTypes.StringType, false), true)
      .add(PROBABILITIES, DataTypes.createArrayType(DataTypes.DoubleType, false), true)
      .add(ERROR, DataTypes.StringType, true);

  private ScoredImage() {}

  /** The row of an image scored: {@code top} indexes {@code probabilities} and the names. */
  static Row scored(String path, double[] probabilities, int[] top, List<String> classNames) {
    String[] classes = Arrays.stream(top).mapToObj(classNames::get).toArray(String[]::new);
    Double[] chances = Arrays.stream(top).mapToObj(c -> probabilities[c]).toArray(Double[]::new);
    return RowFactory.create(path, classes, chances, null);
  }

  /** The row of an image that could not be read or decoded. */
  static Row failed(String path, String error) {
    return RowFactory.create(path, null, null, error);
  }
}
