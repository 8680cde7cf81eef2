package dev.netspec.spark;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads an image file's bytes on an executor through Hadoop's file systems, so that a table may
 * name images on a local disk, HDFS or an object store alike.
 */
final class ImageBytes {
  private final Configuration configuration = new Configuration();

  /**
   * The whole content of {@code path}.
   *
   * @throws IOException when it cannot be opened or read, or is larger than an array holds
   */
  byte[] read(String path) throws IOException {
    Path file = new Path(path);
    FileSystem fs = file.getFileSystem(configuration);
    long length = fs.getFileStatus(file).getLen();
    if (length > Integer.MAX_VALUE - 8) {
      throw new IOException(path + " is " + length + " bytes, more than one image may be");
    }
    try (InputStream in = fs.open(file)) {
      return in.readAllBytes();
    }
  }
}
