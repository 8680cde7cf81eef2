package dev.netspec.examples.cli;

import dev.netspec.examples.zoo.Zoo;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.NetworkDescriptor;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.io.ModelInfo;
import dev.netspec.runtime.io.SavedModelExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code netspec export}: a checkpoint as a TensorFlow SavedModel or an ONNX model. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Export a checkpoint as a TensorFlow SavedModel (tag serve) with two "
        + "signatures, both with input 'images' (NHWC float32) and output 'logits': "
        + "serving_default takes images normalized as assets.extra/netspec.json says, "
        + "serving_raw takes pixel values 0-255 and normalizes them inside the graph; or, with "
        + "--format onnx, as an ONNX model: input 'input' (NCHW float32 by default, dynamic "
        + "batch), output 'logits', the normalization in its metadata."})
final class ExportCommand implements Callable<Integer> {
  @Parameters(paramLabel = "<checkpoint>",
      description = "a checkpoint (.safetensors) or a run folder (its best checkpoint)")
  Path checkpoint;

  @Option(names = "--out", paramLabel = "<path>", description = "the new SavedModel folder "
      + "(default: savedmodel/ beside the checkpoint) or ONNX file (default: model.onnx there)")
  Path out;

  @Option(names = "--format", defaultValue = "savedmodel", paramLabel = "<savedmodel|onnx>",
      description = "savedmodel (default) or onnx")
  String format;

  @Mixin OnnxOutput onnx;

  @Option(names = "--network", description = "the network to load the checkpoint into "
      + "(default: the one it records)")
  String network;

  @Mixin DeviceOptions devices;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path file = ModelPath.checkpoint(checkpoint);
    Checkpoint opened = Checkpoint.open(file);
    NetworkDescriptor<?> descriptor = Zoo.resolve(network != null ? network : opened.network());
    Map<String, String> metadata = new LinkedHashMap<>(opened.metadata());
    metadata.put(Checkpoint.NETWORK_KEY, descriptor.type().getName());
    metadata.remove(Checkpoint.FORMAT_KEY);
    ModelInfo info = ModelInfo.fromMetadata(metadata);
    boolean toOnnx = switch (format.trim().toLowerCase(Locale.ROOT)) {
      case "savedmodel" -> false;
      case "onnx" -> true;
      default -> throw new IllegalArgumentException("--format " + format
          + " is no export format; use savedmodel or onnx");
    };
    Path target = this.out != null ? this.out : file.toAbsolutePath().getParent()
        .resolve(toOnnx ? OnnxOutput.DEFAULT_FILE : "savedmodel");
    if (toOnnx) {
      OnnxOutput.requireNew(target);
    }
    // a SavedModel also takes raw pixels (serving_raw); an ONNX model takes normalized images
    try (Model<?> model = toOnnx
        ? Model.create(descriptor, Mode.INFERENCE, 0L, devices.modelOptions())
        : Model.createServing(descriptor, info.normalization(), devices.modelOptions())) {
      opened.loadWeights(model);
      if (toOnnx) {
        onnx.export(model, info, metadata, target);
      } else {
        SavedModelExport.export(model, info, metadata, target);
      }
    }
    out.printf("exported %s (%s) to %s%n", descriptor.name(), file, target);
    if (toOnnx) {
      onnx.describe(info, out);
      out.flush();
      return 0;
    }
    String input = String.format(Locale.ROOT, "%s [-1, %d, %d, %d] float32", SavedModelExport.INPUT,
        info.height(), info.width(), info.channels());
    String output = String.format(Locale.ROOT, "%s [-1, %d]", SavedModelExport.OUTPUT,
        info.classNames().size());
    out.printf("signature %s: %s, normalized (%s) -> %s%n", SavedModelExport.SIGNATURE, input,
        info.normalization(), output);
    out.printf("signature %s: %s, pixel values 0-255 -> %s%n", SavedModelExport.RAW_SIGNATURE,
        input, output);
    out.flush();
    return 0;
  }
}
