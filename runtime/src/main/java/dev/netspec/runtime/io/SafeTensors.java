package dev.netspec.runtime.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
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
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The safetensors format (Hugging Face's, which {@code safetensors.torch} reads and writes): an
 * 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
 * range, a {@code __metadata__} map of strings, then the raw little-endian data. float32 tensors
 * only.
 */
public final class SafeTensors {
  private static final String METADATA = "__metadata__";
  private static final long MAX_HEADER = 100L << 20;

  /** One tensor's entry in the header: data from {@code begin} to {@code end} of the data part. */
  public record Entry(String name, String dtype, Shape shape, long begin, long end) {}

  private final Path file;
  private final Map<String, String> metadata;
  private final Map<String, Entry> entries;
  private final long dataStart;

  private SafeTensors(Path file, Map<String, String> metadata, Map<String, Entry> entries,
      long dataStart) {
    this.file = file;
    this.metadata = metadata;
    this.entries = entries;
    this.dataStart = dataStart;
  }

  /**
   * Writes {@code tensors} (by name, in order) and {@code metadata} to {@code file}, replacing
   * it; the caller keeps the tensors. See {@link AtomicFiles} for writing without a torn file.
   */
  public static void write(Path file, Map<String, String> metadata,
      Map<String, ? extends TFloat32> tensors) throws IOException {
    JsonObject header = new JsonObject();
    JsonObject meta = new JsonObject();
    metadata.forEach(meta::addProperty);
    header.add(METADATA, meta);
    long offset = 0;
    for (Map.Entry<String, ? extends TFloat32> e : tensors.entrySet()) {
      if (e.getKey().equals(METADATA)) {
        throw new IllegalArgumentException("a tensor cannot be called " + METADATA);
      }
      Shape shape = e.getValue().shape();
      JsonObject entry = new JsonObject();
      entry.addProperty("dtype", "F32");
      JsonArray dims = new JsonArray();
      for (long d : shape.asArray()) {
        dims.add(d);
      }
      entry.add("shape", dims);
      JsonArray range = new JsonArray();
      range.add(offset);
      offset += shape.size() * Float.BYTES;
      range.add(offset);
      entry.add("data_offsets", range);
      header.add(e.getKey(), entry);
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) {
      head.put((byte) ' ');
    }
    head.flip();
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      writeFully(out, head);
      for (TFloat32 tensor : tensors.values()) {
        float[] values = new float[Math.toIntExact(tensor.shape().size())];
        tensor.copyTo(DataBuffers.of(values, false, false));
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
   * Reads the header of {@code file} and checks it against the file's size.
   *
   * @throws IllegalArgumentException naming the file when it is missing, not safetensors, or
   *     shorter than its header says (truncated)
   */
  public static SafeTensors open(Path file) {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      if (size < 8) {
        throw new IllegalArgumentException(file + " is not a safetensors file: " + size
            + " bytes, fewer than its 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(in, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength < 2 || headerLength > MAX_HEADER) {
        throw new IllegalArgumentException(file + " is not a safetensors file: its header length "
            + "reads " + headerLength + " bytes");
      }
      if (8 + headerLength > size) {
        throw new IllegalArgumentException(file + " is truncated: its header alone needs "
            + (8 + headerLength) + " bytes, the file has " + size);
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(in, headerBytes, 8);
      String json = new String(headerBytes.array(), StandardCharsets.UTF_8);
      return parse(file, json, 8 + headerLength, size);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no such file: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static SafeTensors parse(Path file, String json, long dataStart, long fileSize) {
    JsonObject header;
    try {
      header = JsonParser.parseString(json).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IllegalArgumentException(file + " is not a safetensors file: its header is not a "
          + "JSON object", e);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Entry> entries = new LinkedHashMap<>();
    long dataSize = fileSize - dataStart;
    try {
      for (Map.Entry<String, JsonElement> e : header.entrySet()) {
        if (e.getKey().equals(METADATA)) {
          e.getValue().getAsJsonObject().entrySet()
              .forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
          continue;
        }
        JsonObject o = e.getValue().getAsJsonObject();
        JsonArray dims = o.getAsJsonArray("shape");
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = dims.get(i).getAsLong();
        }
        JsonArray range = o.getAsJsonArray("data_offsets");
        Entry entry = new Entry(e.getKey(), o.get("dtype").getAsString(), Shape.of(shape),
            range.get(0).getAsLong(), range.get(1).getAsLong());
        if (entry.end() > dataSize) {
          throw new IllegalArgumentException(file + " is truncated: tensor '" + entry.name()
              + "' ends at byte " + (dataStart + entry.end()) + ", the file has " + fileSize);
        }
        entries.put(entry.name(), entry);
      }
    } catch (RuntimeException e) {
      if (e instanceof IllegalArgumentException && e.getMessage() != null
          && e.getMessage().startsWith(file.toString())) {
        throw e;
      }
      throw new IllegalArgumentException(file + " is not a safetensors file: malformed header ("
          + e.getMessage() + ")", e);
    }
    return new SafeTensors(file, Collections.unmodifiableMap(metadata),
        Collections.unmodifiableMap(entries), dataStart);
  }

  public Path file() {
    return file;
  }

  /** The {@code __metadata__} strings. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensors' entries by name, in header order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** The tensors' shapes by name. */
  public Map<String, Shape> shapes() {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    entries.values().forEach(e -> shapes.put(e.name(), e.shape()));
    return shapes;
  }

  /** Reads tensor {@code name}; the caller closes it. */
  public TFloat32 read(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(file + " has no tensor '" + name + "'");
    }
    if (!entry.dtype().equals("F32")) {
      throw new IllegalArgumentException(file + ": tensor '" + name + "' is " + entry.dtype()
          + "; only F32 is supported");
    }
    long bytes = entry.end() - entry.begin();
    if (bytes != entry.shape().size() * Float.BYTES) {
      throw new IllegalArgumentException(file + ": tensor '" + name + "' of shape "
          + entry.shape() + " should have " + entry.shape().size() * Float.BYTES
          + " bytes, its range has " + bytes);
    }
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
      readFully(in, data, dataStart + entry.begin());
      float[] values = new float[Math.toIntExact(entry.shape().size())];
      data.flip();
      data.asFloatBuffer().get(values);
      return TFloat32.tensorOf(entry.shape(), DataBuffers.of(values, true, false));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads the tensors named {@code names}; the caller closes them. */
  public Map<String, TFloat32> read(List<String> names) {
    Map<String, TFloat32> tensors = new LinkedHashMap<>();
    try {
      for (String name : names) {
        tensors.put(name, read(name));
      }
      return tensors;
    } catch (RuntimeException e) {
      tensors.values().forEach(TFloat32::close);
      throw e;
    }
  }

  /** Every tensor's name. */
  public List<String> names() {
    return new ArrayList<>(entries.keySet());
  }

  private static void readFully(FileChannel in, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = in.read(buffer, at);
      if (read < 0) {
        throw new IOException("unexpected end of file at byte " + at);
      }
      at += read;
    }
  }
}
