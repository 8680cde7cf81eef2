package dev.netspec.runtime.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.ndarray.Shape;

/**
 * A {@code .safetensors} file: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
 * "__metadata__": {"key": "value"}}}, then the tensors' little-endian bytes, offsets counted from
 * the end of the header.
 *
 * <p>{@link #open} reads and checks the whole header before anything else: its length within
 * 100 MB and the file, JSON that is exactly of that form (no duplicate or unknown keys),
 * known dtypes, non-negative shapes whose byte count equals the tensor's offsets, and offsets that
 * tile the data section exactly (no overlap, no gap, nothing past the end), as the format's
 * reference implementation demands. A file that passes cannot make a later {@link #read} run
 * past its end. {@link #read} allocates only what the tensor's checked size needs, and refuses
 * with a clear message when the heap cannot hold it. F64, F32, F16 and BF16 read as float32;
 * other dtypes are listed but not readable.
 *
 * <p>Not thread-safe. Close it to release the file.
 */
public final class SafetensorsFile implements StateDict, AutoCloseable {

  /** The reference implementation's bound on the header. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;

  /** Elements of the largest float[] the JVM can allocate. */
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;

  private static final int CHUNK_BYTES = 1 << 20;

  private static final String METADATA = "__metadata__";

  private static final JsonFactory JSON = JsonFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(8)
          .maxNumberLength(32)
          .build())
      .build();

  /** One tensor as the header describes it; {@code begin} and {@code end} are data offsets. */
  public record TensorInfo(String name, SafetensorsDType dtype, Shape shape, long begin, long end) {
    public long byteLength() {
      return end - begin;
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, TensorInfo> tensors;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart,
      Map<String, TensorInfo> tensors, Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.tensors = tensors;
    this.metadata = metadata;
  }

  /**
   * Opens {@code path} and checks its header.
   *
   * @throws SafetensorsFormatException if the file does not follow the format
   * @throws IOException if it cannot be read
   */
  public static SafetensorsFile open(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
    try {
      long size = channel.size();
      if (size < 8) {
        throw problem(path, "is " + size + " bytes long; a .safetensors file starts with an 8-byte"
            + " header length");
      }
      ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, prefix, 0);
      long headerLength = prefix.getLong(0);
      if (headerLength >= 2 && headerLength <= MAX_HEADER_BYTES && headerLength > size - 8) {
        throw new SafetensorsFormatException(path + " is truncated (or not a .safetensors"
            + " file): its header length says " + headerLength + " bytes, and only "
            + (size - 8) + " follow");
      }
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
        throw problem(path, "declares a header of " + Long.toUnsignedString(headerLength)
            + " bytes; it must be between 2 and " + Math.min(MAX_HEADER_BYTES, size - 8)
            + " (at most 100 MB, and within the file's " + size + " bytes)");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLength);
      readFully(channel, header, 8);
      byte[] bytes = header.array();
      if (bytes[0] != '{') {
        throw problem(path, "has a header that does not start with '{'");
      }
      long dataStart = 8 + headerLength;
      Header parsed = parseHeader(path, bytes);
      checkLayout(path, parsed.tensors().values(), size - dataStart);
      return new SafetensorsFile(path, channel, dataStart,
          Collections.unmodifiableMap(parsed.tensors()),
          Collections.unmodifiableMap(parsed.metadata()));
    } catch (IOException | RuntimeException | Error e) {
      channel.close();
      throw e;
    }
  }

  private record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata) {}

  private static Header parseHeader(Path path, byte[] bytes) throws IOException {
    Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    try (JsonParser json = JSON.createParser(bytes)) {
      expect(path, json, json.nextToken(), JsonToken.START_OBJECT, "the header");
      for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT;
          token = json.nextToken()) {
        String name = json.currentName();
        if (METADATA.equals(name)) {
          readMetadata(path, json, metadata);
        } else {
          tensors.put(name, readTensor(path, json, name));
        }
      }
      if (json.nextToken() != null) {
        throw problem(path, "has more than one JSON value in its header");
      }
    } catch (JsonProcessingException e) {
      throw new SafetensorsFormatException(path + ": the header is not valid JSON of the"
          + " .safetensors form: " + e.getOriginalMessage(), e);
    }
    return new Header(tensors, metadata);
  }

  private static void readMetadata(Path path, JsonParser json, Map<String, String> metadata)
      throws IOException {
    expect(path, json, json.nextToken(), JsonToken.START_OBJECT, "__metadata__");
    for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT;
        token = json.nextToken()) {
      String key = json.currentName();
      expect(path, json, json.nextToken(), JsonToken.VALUE_STRING, "__metadata__." + key);
      metadata.put(key, json.getText());
    }
  }

  private static TensorInfo readTensor(Path path, JsonParser json, String name)
      throws IOException {
    expect(path, json, json.nextToken(), JsonToken.START_OBJECT, "tensor '" + name + "'");
    String dtype = null;
    long[] shape = null;
    long[] offsets = null;
    for (JsonToken token = json.nextToken(); token != JsonToken.END_OBJECT;
        token = json.nextToken()) {
      String key = json.currentName();
      switch (key) {
        case "dtype" -> {
          expect(path, json, json.nextToken(), JsonToken.VALUE_STRING, name + ".dtype");
          dtype = json.getText();
        }
        case "shape" -> shape = readLongs(path, json, name + ".shape");
        case "data_offsets" -> offsets = readLongs(path, json, name + ".data_offsets");
        default -> throw problem(path, "tensor '" + name + "' has an unknown key '" + key
            + "' (expected dtype, shape, data_offsets)");
      }
    }
    if (dtype == null || shape == null || offsets == null) {
      throw problem(path, "tensor '" + name + "' lacks "
          + (dtype == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
    }
    String type = dtype;
    SafetensorsDType parsed = SafetensorsDType.parse(dtype).orElseThrow(() -> problem(path,
        "tensor '" + name + "' has unknown dtype '" + type + "'"));
    if (offsets.length != 2 || offsets[0] > offsets[1]) {
      throw problem(path, "tensor '" + name + "' has data_offsets " + java.util.Arrays.toString(
          offsets) + "; expected [begin, end] with begin <= end");
    }
    long elements = 1;
    for (long dim : shape) {
      elements = multiply(path, name, elements, dim);
    }
    long bytes = multiply(path, name, elements, parsed.bytes());
    if (bytes != offsets[1] - offsets[0]) {
      throw problem(path, "tensor '" + name + "' of shape " + java.util.Arrays.toString(shape)
          + " and dtype " + parsed + " needs " + bytes + " bytes, but its data_offsets "
          + java.util.Arrays.toString(offsets) + " span " + (offsets[1] - offsets[0]));
    }
    return new TensorInfo(name, parsed, Shape.of(shape), offsets[0], offsets[1]);
  }

  private static long multiply(Path path, String name, long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw problem(path, "tensor '" + name + "' has a shape whose size overflows 64 bits");
    }
  }

  /** A JSON array of non-negative integers. */
  private static long[] readLongs(Path path, JsonParser json, String what) throws IOException {
    expect(path, json, json.nextToken(), JsonToken.START_ARRAY, what);
    List<Long> values = new ArrayList<>();
    for (JsonToken token = json.nextToken(); token != JsonToken.END_ARRAY;
        token = json.nextToken()) {
      expect(path, json, token, JsonToken.VALUE_NUMBER_INT, what);
      if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER || json.getLongValue() < 0) {
        throw problem(path, what + " holds " + json.getText()
            + "; expected integers from 0 to 2^63 - 1");
      }
      values.add(json.getLongValue());
    }
    return values.stream().mapToLong(Long::longValue).toArray();
  }

  private static void expect(Path path, JsonParser json, JsonToken actual, JsonToken expected,
      String what) throws IOException {
    if (actual != expected) {
      throw problem(path, what + " must be " + describe(expected) + ", found "
          + (actual == null ? "the end of the header" : describe(actual) + " '" + json.getText()
          + "'"));
    }
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case START_OBJECT -> "a JSON object";
      case START_ARRAY -> "a JSON array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      default -> token.asString() != null ? token.asString() : token.name();
    };
  }

  /** Offsets must tile [0, dataLength) exactly: no overlap, no gap, nothing past the end. */
  private static void checkLayout(Path path, Iterable<TensorInfo> tensors, long dataLength) {
    List<TensorInfo> sorted = new ArrayList<>();
    tensors.forEach(sorted::add);
    sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long next = 0;
    TensorInfo previous = null;
    for (TensorInfo t : sorted) {
      if (t.begin() != next) {
        throw problem(path, t.begin() < next
            ? "tensors '" + previous.name() + "' and '" + t.name() + "' overlap (bytes "
                + t.begin() + " to " + next + " of the data)"
            : "has " + (t.begin() - next) + " unused bytes before tensor '" + t.name() + "'");
      }
      if (t.end() > dataLength) {
        throw new SafetensorsFormatException(path + " is truncated (or its offsets are wrong):"
            + " tensor '" + t.name() + "' ends at byte " + t.end() + " of the data, past its end"
            + " at " + dataLength);
      }
      next = t.end();
      previous = t;
    }
    if (next != dataLength) {
      throw problem(path, "has " + (dataLength - next) + " bytes after its last tensor");
    }
  }

  private static SafetensorsFormatException problem(Path path, String message) {
    return new SafetensorsFormatException(path + ": " + message);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new EOFException("unexpected end of file at byte " + at);
      }
      at += n;
    }
    buffer.flip();
  }

  public Path path() {
    return path;
  }

  /** The {@code __metadata__} entries, empty if none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Every tensor's description, in header order. */
  public Map<String, TensorInfo> tensors() {
    return tensors;
  }

  @Override
  public List<String> names() {
    return List.copyOf(tensors.keySet());
  }

  /** The description of tensor {@code name}. */
  public TensorInfo info(String name) {
    TensorInfo info = tensors.get(name);
    if (info == null) {
      throw new IllegalArgumentException(path + " has no tensor '" + name + "'");
    }
    return info;
  }

  @Override
  public Shape shape(String name) {
    return info(name).shape();
  }

  @Override
  public Optional<String> unreadable(String name) {
    TensorInfo info = info(name);
    if (!info.dtype().readable()) {
      return Optional.of("dtype " + info.dtype() + " (only F32, F16, BF16 and F64 read as"
          + " float32)");
    }
    if (info.shape().size() > MAX_ELEMENTS) {
      return Optional.of(info.shape().size() + " elements, more than a Java array holds");
    }
    return Optional.empty();
  }

  /**
   * Reads tensor {@code name} as float32.
   *
   * @throws SafetensorsFormatException if its dtype is not a floating-point one, or it is larger
   *     than a Java array or than the free heap
   */
  @Override
  public float[] read(String name) throws IOException {
    TensorInfo info = info(name);
    Optional<String> why = unreadable(name);
    if (why.isPresent()) {
      throw new SafetensorsFormatException(path + ": tensor '" + name + "' cannot be read as"
          + " float32: " + why.get());
    }
    int count = Math.toIntExact(info.shape().size());
    checkHeap(name, 4L * count);
    float[] values = new float[count];
    ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(
        info.byteLength(), 8))).order(ByteOrder.LITTLE_ENDIAN);
    int elementBytes = info.dtype().bytes();
    int perChunk = chunk.capacity() / elementBytes;
    for (int done = 0; done < count; ) {
      int n = Math.min(perChunk, count - done);
      chunk.clear().limit(n * elementBytes);
      readFully(channel, chunk, dataStart + info.begin() + (long) done * elementBytes);
      decode(info.dtype(), chunk, values, done, n);
      done += n;
    }
    return values;
  }

  private static void decode(SafetensorsDType dtype, ByteBuffer in, float[] out, int at, int n) {
    switch (dtype) {
      case F32 -> in.asFloatBuffer().get(out, at, n);
      case F64 -> {
        for (int i = 0; i < n; i++) {
          out[at + i] = (float) in.getDouble(8 * i);
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[at + i] = HalfFloats.halfToFloat(in.getShort(2 * i));
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[at + i] = Float.intBitsToFloat((in.getShort(2 * i) & 0xffff) << 16);
        }
      }
      default -> throw new IllegalStateException("not a floating-point dtype: " + dtype);
    }
  }

  /** Refuses, rather than run out of memory, when the heap cannot hold {@code bytes} more. */
  private void checkHeap(String name, long bytes) {
    if (bytes <= freeHeap()) {
      return;
    }
    System.gc();
    long free = freeHeap();
    if (bytes > free) {
      throw new SafetensorsFormatException(path + ": tensor '" + name + "' needs "
          + bytes / (1 << 20) + " MB as float32, more than the " + free / (1 << 20)
          + " MB the Java heap has left; raise -Xmx");
    }
  }

  private static long freeHeap() {
    Runtime runtime = Runtime.getRuntime();
    return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
