package dev.netspec.runtime.io;

import dev.netspec.runtime.data.Normalization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What using a trained classifier needs besides its weights: the network's class, the input size,
 * the class names and the normalization its inputs had. Kept in checkpoints' metadata and, as
 * {@code assets.extra/netspec.json}, beside exported SavedModels.
 */
public record ModelInfo(String network, int height, int width, int channels,
    List<String> classNames, Normalization normalization) {

  public ModelInfo {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(normalization, "normalization");
    classNames = List.copyOf(classNames);
    if (normalization.channels() != channels) {
      throw new IllegalArgumentException("the normalization has " + normalization.channels()
          + " channels, the network " + channels);
    }
  }

  /** As metadata strings. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input_height", Integer.toString(height));
    m.put("input_width", Integer.toString(width));
    m.put("input_channels", Integer.toString(channels));
    m.put("class_names", FlatJson.array(classNames));
    m.put("mean", Normalization.format(normalization.mean()));
    m.put("std", Normalization.format(normalization.std()));
    return m;
  }

  /** Reads what {@link #toMetadata()} wrote, with the network's class name under {@code network}. */
  public static ModelInfo fromMetadata(Map<String, String> m) {
    try {
      List<String> names = FlatJson.parseArray(require(m, "class_names"));
      return new ModelInfo(require(m, "network"), Integer.parseInt(require(m, "input_height")),
          Integer.parseInt(require(m, "input_width")),
          Integer.parseInt(require(m, "input_channels")), names,
          new Normalization(Normalization.parse(require(m, "mean")),
              Normalization.parse(require(m, "std"))));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed model description: " + e.getMessage(), e);
    }
  }

  /** {@code metadata} with this description, as the JSON object of {@code netspec.json}. */
  public String toJson(Map<String, String> metadata) {
    Map<String, String> all = new LinkedHashMap<>(metadata);
    all.put("network", network);
    all.putAll(toMetadata());
    return FlatJson.object(all);
  }

  /** The string pairs of a {@code netspec.json}. */
  public static Map<String, String> parseJson(String json) {
    try {
      return FlatJson.parseObject(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed netspec.json: " + e.getMessage(), e);
    }
  }

  private static String require(Map<String, String> m, String key) {
    String value = m.get(key);
    if (value == null) {
      throw new IllegalArgumentException("the model description has no '" + key + "'");
    }
    return value;
  }
}
