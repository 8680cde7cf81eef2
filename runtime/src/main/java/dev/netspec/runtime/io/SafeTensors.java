package dev.netspec.runtime.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * float32 tensors in the safetensors format (Hugging Face's, which {@code safetensors.torch}
 * reads and writes): an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, a {@code __metadata__} map of strings, then the raw little-endian
 * data. Writes F32; reads through {@link SafetensorsFile}, which checks every byte of the header
 * against the file before anything is read ({@link SafetensorsFormatException}, an
 * IllegalArgumentException naming the file, says what is wrong).
 */
public final class SafeTensors {
  private static final String METADATA = "__metadata__";

  private final Path file;
  private final Map<String, String> metadata;
  private final Map<String, Shape> shapes;

  private SafeTensors(Path file, Map<String, String> metadata, Map<String, Shape> shapes) {
    this.file = file;
    this.metadata = metadata;
    this.shapes = shapes;
  }

  /**
   * Writes {@code tensors} (by name, in order) and {@code metadata} to {@code file}, replacing
   * it; the caller keeps the tensors. See {@link AtomicFiles} for writing without a torn file.
   */
  public static void write(Path file, Map<String, String> metadata,
      Map<String, ? extends TFloat32> tensors) throws IOException {
    write(file, metadata, tensors, (name, values) -> {});
  }

  /**
   * {@link #write(Path, Map, Map)}, showing {@code inspect} each tensor's values (name, then
   * values) as they are written: a check that needs no copy of its own.
   */
  public static void write(Path file, Map<String, String> metadata,
      Map<String, ? extends TFloat32> tensors, BiConsumer<String, float[]> inspect)
      throws IOException {
    String header = FlatJson.write(json -> {
      json.writeStartObject();
      json.writeObjectFieldStart(METADATA);
      for (Map.Entry<String, String> m : metadata.entrySet()) {
        json.writeStringField(m.getKey(), m.getValue());
      }
      json.writeEndObject();
      long offset = 0;
      for (Map.Entry<String, ? extends TFloat32> e : tensors.entrySet()) {
        if (e.getKey().equals(METADATA)) {
          throw new IllegalArgumentException("a tensor cannot be called " + METADATA);
        }
        Shape shape = e.getValue().shape();
        json.writeObjectFieldStart(e.getKey());
        json.writeStringField("dtype", "F32");
        json.writeArrayFieldStart("shape");
        for (long d : shape.asArray()) {
          json.writeNumber(d);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("data_offsets");
        json.writeNumber(offset);
        offset += shape.size() * Float.BYTES;
        json.writeNumber(offset);
        json.writeEndArray();
        json.writeEndObject();
      }
      json.writeEndObject();
    });
    byte[] bytes = header.getBytes(StandardCharsets.UTF_8);
    int padded = (bytes.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(bytes);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      writeFully(out, head);
      for (Map.Entry<String, ? extends TFloat32> e : tensors.entrySet()) {
        TFloat32 tensor = e.getValue();
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
        inspect.accept(e.getKey(), values);
        ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        writeFully(out, data);
      }
      out.force(true);
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  /**
   * Reads the header of {@code file} and checks it against the file.
   *
   * @throws IllegalArgumentException naming the file when it is missing, not safetensors, or
   *     truncated
   */
  public static SafeTensors open(Path file) {
    try (SafetensorsFile source = SafetensorsFile.open(file)) {
      Map<String, Shape> shapes = new LinkedHashMap<>();
      for (String name : source.names()) {
        shapes.put(name, source.shape(name));
      }
      return new SafeTensors(file, Collections.unmodifiableMap(new LinkedHashMap<>(source.metadata())),
          Collections.unmodifiableMap(shapes));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** The {@code __metadata__} strings. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensors' shapes by name, in header order. */
  public Map<String, Shape> shapes() {
    return shapes;
  }

  /** Reads tensor {@code name}; the caller closes it. */
  public TFloat32 read(String name) {
    Map<String, TFloat32> one = read(List.of(name));
    return one.get(name);
  }

  /** Reads the tensors named {@code names}; the caller closes them. */
  public Map<String, TFloat32> read(List<String> names) {
    return read(names, (name, values) -> {});
  }

  /**
   * Reads the tensors named {@code names}, showing {@code inspect} each one's values as they are
   * read; the caller closes them. When {@code inspect} throws, nothing is left open.
   */
  public Map<String, TFloat32> read(List<String> names, BiConsumer<String, float[]> inspect) {
    Map<String, TFloat32> tensors = new LinkedHashMap<>();
    try (SafetensorsFile source = SafetensorsFile.open(file)) {
      for (String name : names) {
        float[] values = source.read(name);
        inspect.accept(name, values);
        tensors.put(name, TFloat32.tensorOf(source.shape(name), DataBuffers.of(values, true, false)));
      }
      return tensors;
    } catch (IOException e) {
      tensors.values().forEach(TFloat32::close);
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      tensors.values().forEach(TFloat32::close);
      throw e;
    }
  }

  /** Every tensor's name. */
  public List<String> names() {
    return new ArrayList<>(shapes.keySet());
  }
}
