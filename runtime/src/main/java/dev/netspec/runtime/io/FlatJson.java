package dev.netspec.runtime.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two JSON shapes netspec's own files use, a flat object of strings and an array of
 * strings, on Jackson's streaming parser (the same one the safetensors reader uses).
 */
final class FlatJson {
  private static final JsonFactory JSON = new JsonFactory();

  private FlatJson() {}

  static String object(Map<String, String> values) {
    return write(generator -> {
      generator.writeStartObject();
      for (Map.Entry<String, String> e : values.entrySet()) {
        generator.writeStringField(e.getKey(), e.getValue());
      }
      generator.writeEndObject();
    });
  }

  static String array(List<String> values) {
    return write(generator -> {
      generator.writeStartArray();
      for (String value : values) {
        generator.writeString(value);
      }
      generator.writeEndArray();
    });
  }

  /** @throws IllegalArgumentException unless {@code json} is an object whose values are strings */
  static Map<String, String> parseObject(String json) {
    Map<String, String> values = new LinkedHashMap<>();
    try (JsonParser parser = JSON.createParser(json)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT);
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
        expect(token, JsonToken.FIELD_NAME);
        String key = parser.currentName();
        expect(parser.nextToken(), JsonToken.VALUE_STRING);
        values.put(key, parser.getText());
      }
      expect(parser.nextToken(), null);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON object of strings: " + e.getMessage(), e);
    }
    return values;
  }

  /** @throws IllegalArgumentException unless {@code json} is an array of strings */
  static List<String> parseArray(String json) {
    List<String> values = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(json)) {
      expect(parser.nextToken(), JsonToken.START_ARRAY);
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
        expect(token, JsonToken.VALUE_STRING);
        values.add(parser.getText());
      }
      expect(parser.nextToken(), null);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a JSON array of strings: " + e.getMessage(), e);
    }
    return values;
  }

  private static void expect(JsonToken actual, JsonToken expected) {
    if (actual != expected) {
      throw new IllegalArgumentException("expected " + (expected == null ? "the end" : expected)
          + ", found " + (actual == null ? "the end" : actual));
    }
  }

  /** Writes with a generator. */
  interface Body {
    void write(JsonGenerator generator) throws IOException;
  }

  static String write(Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator generator = JSON.createGenerator(out)) {
      body.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
