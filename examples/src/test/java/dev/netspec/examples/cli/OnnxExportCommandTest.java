package dev.netspec.examples.cli;

import static dev.netspec.examples.cli.CommandsTest.netspec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.examples.cli.CommandsTest.Outcome;
import dev.netspec.examples.zoo.ResNet8;
import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.data.Normalization;
import dev.netspec.runtime.io.Checkpoint;
import dev.netspec.runtime.io.ModelInfo;
import dev.netspec.runtime.io.onnx.ImageLayout;
import dev.netspec.runtime.io.onnx.OnnxRuntimeCheck;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.ModelProto;
import dev.netspec.runtime.io.onnx.proto.OnnxProto.StringStringEntryProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

/**
 * {@code netspec export --format onnx}: the file ONNX Runtime runs as the checkpoint's network, in
 * both layouts, with the checkpoint's description in its metadata.
 */
class OnnxExportCommandTest {
  @TempDir Path temp;

  @Test
  void exportsACheckpointThatOnnxRuntimeRunsAsNetspecDoes() throws Exception {
    Path checkpoint = temp.resolve("resnet8.safetensors");
    ModelInfo info = new ModelInfo(ResNet8.class.getName(), 32, 32, 3,
        List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"),
        new Normalization(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f}));
    try (Model<ResNet8> model = Model.create(ResNet8::build, 3, 32, 32, Mode.INFERENCE, 1L)) {
      OnnxRuntimeCheck.randomizeWeights(ResNet8::build, model, 3L);
      Map<String, TFloat32> weights = model.readAll();
      try {
        Checkpoint.save(checkpoint, ResNet8.class.getName(), info.toMetadata(), weights);
      } finally {
        weights.values().forEach(TFloat32::close);
      }

      Outcome nchw = netspec("export", checkpoint.toString(), "--format", "onnx");
      assertEquals(0, nchw.code(), nchw.err());
      assertTrue(nchw.out().contains("ONNX opset 17: input [batch, 3, 32, 32] float32 (NCHW, "
          + "normalized with mean 0.5,0.4,0.3, std 0.2,0.25,0.3) -> logits [batch, 10]"),
          nchw.out());
      ModelProto exported = ModelProto.parseFrom(Files.readAllBytes(temp.resolve("model.onnx")));
      Map<String, String> metadata = exported.getMetadataPropsList().stream()
          .collect(Collectors.toMap(StringStringEntryProto::getKey,
              StringStringEntryProto::getValue));
      assertEquals(ResNet8.class.getName(), metadata.get("network"));
      assertEquals("0.2,0.25,0.3", metadata.get("std"));
      OnnxRuntimeCheck.assertReproduces(model, exported, ImageLayout.NCHW, "export --format onnx");

      Path nhwcFile = temp.resolve("nhwc.onnx");
      Outcome nhwc = netspec("export", checkpoint.toString(), "--format", "onnx", "--layout",
          "nhwc", "--keep-batchnorm", "--out", nhwcFile.toString());
      assertEquals(0, nhwc.code(), nhwc.err());
      ModelProto kept = ModelProto.parseFrom(Files.readAllBytes(nhwcFile));
      assertTrue(kept.getGraph().getNodeList().stream()
          .anyMatch(n -> n.getOpType().equals("BatchNormalization")));
      OnnxRuntimeCheck.assertReproduces(model, kept, ImageLayout.NHWC, "--layout nhwc");
    }

    Outcome again = netspec("export", checkpoint.toString(), "--format", "onnx");
    assertEquals(2, again.code());
    assertTrue(again.err().contains("model.onnx already exists"), again.err());
    Outcome unknown = netspec("export", checkpoint.toString(), "--format", "tflite");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().contains("--format tflite is no export format; use savedmodel or "
        + "onnx"), unknown.err());
  }
}
