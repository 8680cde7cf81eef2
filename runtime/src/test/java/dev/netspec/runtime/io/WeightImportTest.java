package dev.netspec.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.TinyNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

class WeightImportTest {
  @TempDir Path dir;

  /** TinyNet's state dict as PyTorch would hold it. */
  private static MapStateDict tinyNet() {
    float[] conv = new float[4 * 3 * 3 * 3];
    for (int i = 0; i < conv.length; i++) {
      conv[i] = i;
    }
    return new MapStateDict()
        .put("conv.conv.weight", Shape.of(4, 3, 3, 3), conv)
        .put("conv.bn.weight", Shape.of(4), 1, 2, 3, 4)
        .put("conv.bn.bias", Shape.of(4), 5, 6, 7, 8)
        .put("conv.bn.running_mean", Shape.of(4), 9, 10, 11, 12)
        .put("conv.bn.running_var", Shape.of(4), 13, 14, 15, 16)
        .put("conv.bn.num_batches_tracked", Shape.of(), 3)
        .put("fc.weight", Shape.of(2, 4), 1, 2, 3, 4, 5, 6, 7, 8)
        .put("fc.bias", Shape.of(2), -1, -2);
  }

  private static float[] read(Model<?> model, String name) {
    try (TFloat32 t = model.read(name)) {
      float[] values = new float[(int) t.shape().size()];
      t.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  @Test
  void importsEveryVariableInNetspecLayout() throws IOException {
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      ImportReport report = WeightImport.withRules(NameRules.identity()).into(model, tinyNet());
      assertEquals(7, report.loaded());
      assertEquals(List.of("conv.bn.num_batches_tracked"), report.ignored());
      assertArrayEquals(new float[] {1, 5, 2, 6, 3, 7, 4, 8}, read(model, "fc.weight"));
      assertArrayEquals(new float[] {13, 14, 15, 16}, read(model, "conv.bn.running_var"));
      float[] conv = read(model, "conv.conv.weight"); // [y][x][i][o] = o*27 + i*9 + y*3 + x
      assertEquals(1 * 27 + 2 * 9 + 0 * 3 + 1, conv[((0 * 3 + 1) * 3 + 2) * 4 + 1]);
    }
  }

  @Test
  void checkReportsWithoutReadingOrAssigning() {
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      float[] before = read(model, "fc.weight");
      ImportReport report = WeightImport.withRules(NameRules.identity()).check(model, tinyNet());
      assertEquals(7, report.loaded());
      assertEquals(4 * 27 + 4 * 4 + 8 + 2, report.values());
      assertArrayEquals(before, read(model, "fc.weight"));
    }
  }

  @Test
  void strictImportsListEveryProblemAndChangeNothing() throws IOException {
    MapStateDict broken = tinyNet()
        .remove("conv.bn.bias")
        .put("fc.weight", Shape.of(3, 4), new float[12])
        .put("conv.conv.weight", Shape.of(4, 2, 3, 3), new float[72])
        .put("head.extra", Shape.of(1), 0);
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      float[] before = read(model, "conv.bn.weight");
      WeightImportException e = assertThrows(WeightImportException.class,
          () -> WeightImport.withRules(NameRules.identity()).into(model, broken));
      assertEquals(4, e.problems().size(), e.getMessage());
      String message = e.getMessage();
      assertTrue(message.contains("nothing loaded"), message);
      assertTrue(message.contains("missing 'conv.bn.bias' [4]"), message);
      assertTrue(message.contains("unexpected 'head.extra'"), message);
      assertTrue(message.contains("'fc.weight' has PyTorch shape [3, 4]; variable 'fc.weight'"
          + " needs [4, 2] (PyTorch shape [2, 4])"), message);
      assertTrue(message.contains("'conv.conv.weight' has PyTorch shape [4, 2, 3, 3]"), message);
      assertTrue(message.contains("input channels 2 cannot be adapted to 3"), message);
      assertArrayEquals(before, read(model, "conv.bn.weight"));
    }
  }

  @Test
  void nonStrictImportsKeepWhatIsMissingAndIgnoreWhatIsUnexpected() throws IOException {
    MapStateDict partial = tinyNet().remove("conv.bn.bias").put("aux.weight", Shape.of(1), 0);
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      float[] bias = read(model, "conv.bn.bias");
      ImportReport report = WeightImport.withRules(NameRules.identity()).strict(false)
          .into(model, partial);
      assertEquals(6, report.loaded());
      assertEquals(1, report.missing().size());
      assertEquals(List.of("'aux.weight'"), report.unexpected());
      assertArrayEquals(bias, read(model, "conv.bn.bias"));
      assertArrayEquals(new float[] {1, 2, 3, 4}, read(model, "conv.bn.weight"));
    }
  }

  @Test
  void skipHeadLeavesTheClassifierForAnotherNumberOfClasses() throws IOException {
    MapStateDict tenClasses = tinyNet()
        .put("fc.weight", Shape.of(10, 4), new float[40])
        .put("fc.bias", Shape.of(10), new float[10]);
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      float[] head = read(model, "fc.weight");
      ImportReport report = WeightImport.withRules(NameRules.identity()).skipHead(true)
          .into(model, tenClasses);
      assertEquals(5, report.loaded());
      assertEquals(List.of("fc.weight", "fc.bias"), report.skipped());
      assertArrayEquals(head, read(model, "fc.weight"));
      assertArrayEquals(new float[] {9, 10, 11, 12}, read(model, "conv.bn.running_mean"));
    }
  }

  @Test
  void rulesRenameAndDropKeys() throws IOException {
    MapStateDict torch = new MapStateDict();
    MapStateDict source = tinyNet();
    for (String name : source.names()) {
      torch.put(name.replace("conv.conv.", "stem.").replace("conv.bn.", "stem_bn."),
          source.shape(name), source.read(name));
    }
    torch.put("aux_logits.weight", Shape.of(3), 1, 2, 3);
    NameRules rules = NameRules.identity()
        .rename("stem\\.(.+)", "conv.conv.$1")
        .rename("stem_bn\\.(.+)", "conv.bn.$1")
        .drop("aux_logits\\..+");
    assertEquals("conv.bn.weight", rules.map("stem_bn.weight").orElseThrow());
    assertTrue(rules.map("aux_logits.weight").isEmpty());
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      ImportReport report = WeightImport.withRules(rules).into(model, torch);
      assertEquals(7, report.loaded());
      assertEquals(2, report.ignored().size());
      assertArrayEquals(new float[] {5, 6, 7, 8}, read(model, "conv.bn.bias"));
    }
  }

  @Test
  void twoKeysForOneVariableAndNonFiniteValuesAreRefused() {
    NameRules alias = NameRules.identity().rename("old\\.(.+)", "fc.$1");
    MapStateDict twice = tinyNet().put("old.bias", Shape.of(2), 0, 0);
    MapStateDict nan = tinyNet().put("fc.bias", Shape.of(2), 0, Float.NaN);
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      WeightImportException e = assertThrows(WeightImportException.class,
          () -> WeightImport.withRules(alias).into(model, twice));
      assertTrue(e.getMessage().contains("both 'fc.bias' and 'old.bias' map to variable"
          + " 'fc.bias'"), e.getMessage());
      float[] before = read(model, "conv.bn.weight");
      e = assertThrows(WeightImportException.class,
          () -> WeightImport.withRules(NameRules.identity()).into(model, nan));
      assertTrue(e.getMessage().contains("'fc.bias' holds NaN"), e.getMessage());
      assertArrayEquals(before, read(model, "conv.bn.weight"), "nothing assigned");
    }
  }

  @Test
  void importsASafetensorsFile() throws IOException {
    Path file = Files.write(dir.resolve("tiny.safetensors"), SafetensorsFuzzTest.tinyNetFile());
    try (Model<TinyNet> model = Model.create(TinyNet.class, Mode.INFERENCE, 1L)) {
      ImportReport report = WeightImport.withRules(NameRules.identity()).into(model, file);
      assertEquals(7, report.loaded());
      assertArrayEquals(new float[] {1, 1.5f, 0.5f, 2}, read(model, "conv.bn.running_var"));
      assertArrayEquals(new float[] {1, -1}, read(model, "fc.bias"));
      assertArrayEquals(new float[] {1, 5, 2, 6, 3, 7, 4, 8}, read(model, "fc.weight"));
    }
  }
}
