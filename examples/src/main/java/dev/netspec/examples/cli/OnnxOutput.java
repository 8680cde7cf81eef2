package dev.netspec.examples.cli;

import dev.netspec.runtime.Model;
import dev.netspec.runtime.io.ModelInfo;
import dev.netspec.runtime.io.onnx.ImageLayout;
import dev.netspec.runtime.io.onnx.OnnxExport;
import dev.netspec.runtime.io.onnx.OnnxOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code netspec export --format onnx}: the ONNX file's options, writing it, and what is printed. */
final class OnnxOutput {
  /** The file written beside the checkpoint when no {@code --out} is given. */
  static final String DEFAULT_FILE = "model.onnx";

  @Option(names = "--layout", defaultValue = "nchw", converter = LayoutConverter.class,
      paramLabel = "<nchw|nhwc>", description = "with --format onnx: the input's axes, "
          + "[batch, channels, height, width] as PyTorch users feed (default) or [batch, height, "
          + "width, channels] as netspec and TensorFlow do")
  ImageLayout layout;

  @Option(names = "--keep-batchnorm", description = "with --format onnx: keep BatchNorms as "
      + "BatchNormalization nodes instead of folding those after a convolution into its weights")
  boolean keepBatchNorm;

  /** Refuses to write over a file, before any work is done. */
  static void requireNew(Path target) {
    if (Files.exists(target)) {
      throw new IllegalArgumentException(target + " already exists; export to a new file or "
          + "delete it first");
    }
  }

  /** Writes {@code model} (weights loaded) to {@code target}, with its description as metadata. */
  void export(Model<?> model, ModelInfo info, Map<String, String> metadata, Path target) {
    Map<String, String> properties = new LinkedHashMap<>(metadata);
    properties.putAll(info.toMetadata());
    OnnxOptions options = OnnxOptions.defaults().withLayout(layout)
        .withFoldBatchNorm(!keepBatchNorm).withSize(info.height(), info.width());
    OnnxExport.export(model, options, properties, target);
  }

  /** One line: what the exported model takes and gives. */
  void describe(ModelInfo info, PrintWriter out) {
    Map<String, String> description = info.toMetadata();
    String input = layout == ImageLayout.NCHW
        ? String.format(Locale.ROOT, "[batch, %d, %d, %d]", info.channels(), info.height(),
            info.width())
        : String.format(Locale.ROOT, "[batch, %d, %d, %d]", info.height(), info.width(),
            info.channels());
    out.printf("ONNX opset %d: %s %s float32 (%s, normalized with mean %s, std %s) -> %s [batch,"
            + " %d]%n", OnnxExport.OPSET, OnnxExport.INPUT, input, layout,
        description.get("mean"), description.get("std"), OnnxExport.LOGITS,
        info.classNames().size());
  }

  static final class LayoutConverter implements ITypeConverter<ImageLayout> {
    @Override
    public ImageLayout convert(String value) {
      try {
        return ImageLayout.valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + value + "' is no layout; use nchw or nhwc");
      }
    }
  }
}
