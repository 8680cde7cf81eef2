package dev.netspec.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.runtime.Mode;
import dev.netspec.runtime.Model;
import dev.netspec.runtime.io.ImportReport;
import dev.netspec.runtime.io.MapStateDict;
import dev.netspec.runtime.io.NameRules;
import dev.netspec.runtime.io.WeightImport;
import dev.netspec.runtime.io.WeightImportException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Weights made for 3 channels load into networks declared with 1 or 6 channels (timm's
 * adapt_input_conv): on an image whose channels are all equal, the adapted network answers as the
 * original does (exactly so for a multiple of 3; for 4 channels only on average).
 */
class InputChannelsTest {
  private static final WeightImport IMPORT = WeightImport.withRules(NameRules.identity());

  /** A model's variables as a PyTorch state dict: HWIO → OIHW, [in, out] → [out, in]. */
  static MapStateDict torchStateDict(Model<?> model) {
    MapStateDict dict = new MapStateDict();
    Map<String, TFloat32> all = model.readAll();
    try {
      all.forEach((name, t) -> {
        long[] s = t.shape().asArray();
        float[] v = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(v, false, false));
        if (s.length == 4) {
          float[] oihw = new float[v.length];
          for (int y = 0; y < s[0]; y++) {
            for (int x = 0; x < s[1]; x++) {
              for (int i = 0; i < s[2]; i++) {
                for (int o = 0; o < s[3]; o++) {
                  oihw[(int) (((o * s[2] + i) * s[0] + y) * s[1] + x)] =
                      v[(int) (((y * s[1] + x) * s[2] + i) * s[3] + o)];
                }
              }
            }
          }
          dict.put(name, Shape.of(s[3], s[2], s[0], s[1]), oihw);
        } else if (s.length == 2) {
          float[] outIn = new float[v.length];
          for (int i = 0; i < s[0]; i++) {
            for (int o = 0; o < s[1]; o++) {
              outIn[(int) (o * s[0] + i)] = v[(int) (i * s[1] + o)];
            }
          }
          dict.put(name, Shape.of(s[1], s[0]), outIn);
        } else {
          dict.put(name, t.shape(), v);
        }
      });
    } finally {
      all.values().forEach(TFloat32::close);
    }
    return dict;
  }

  /** A grey 16×16 image repeated over {@code channels}. */
  private static TFloat32 grey(int channels) {
    SplittableRandom random = new SplittableRandom(3);
    float[] pixels = new float[16 * 16];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextGaussian();
    }
    float[] image = new float[pixels.length * channels];
    for (int p = 0; p < pixels.length; p++) {
      for (int c = 0; c < channels; c++) {
        image[p * channels + c] = pixels[p];
      }
    }
    return TFloat32.tensorOf(Shape.of(1, 16, 16, channels), DataBuffers.of(image, true, false));
  }

  private static float[] predict(Model<?> model, int channels) {
    try (TFloat32 image = grey(channels); TFloat32 out = model.predict(image)) {
      float[] values = new float[(int) out.shape().size()];
      out.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  private static void assertClose(float[] expected, float[] actual) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), "logit " + i);
    }
  }

  @Test
  void rgbWeightsAdaptToOneAndToSixChannels() throws IOException {
    try (Model<RgbNet> rgb = Model.create(RgbNet.class, Mode.INFERENCE, 11L);
        Model<GreyNet> grey = Model.create(GreyNet.class, Mode.INFERENCE, 12L);
        Model<SixChannelNet> six = Model.create(SixChannelNet.class, Mode.INFERENCE, 13L)) {
      MapStateDict weights = torchStateDict(rgb);
      float[] expected = predict(rgb, 3);
      ImportReport toGrey = IMPORT.into(grey, weights);
      assertEquals(List.of("conv1.conv.weight: [8, 3, 3, 3] -> [3, 3, 1, 8]"), toGrey.adapted());
      assertClose(expected, predict(grey, 1));
      ImportReport toSix = IMPORT.into(six, weights);
      assertEquals(1, toSix.adapted().size());
      assertClose(expected, predict(six, 6));
    }
  }

  @Test
  void whereWeightsCannotAdaptTheErrorNamesTheLayerAndBothShapes() {
    try (Model<GreyNet> grey = Model.create(GreyNet.class, Mode.INFERENCE, 1L);
        Model<SixChannelNet> six = Model.create(SixChannelNet.class, Mode.INFERENCE, 2L)) {
      MapStateDict greyWeights = torchStateDict(grey);
      WeightImportException e =
          assertThrows(WeightImportException.class, () -> IMPORT.into(six, greyWeights));
      assertEquals(1, e.problems().size(), e.getMessage());
      assertTrue(e.getMessage().contains("'conv1.conv.weight' has PyTorch shape [8, 1, 3, 3];"
          + " variable 'conv1.conv.weight' needs [3, 3, 6, 8] (PyTorch shape [8, 6, 3, 3]):"
          + " input channels 1 cannot be adapted to 6"), e.getMessage());
    }
  }

  @Test
  void adaptationCanBeTurnedOff() {
    try (Model<RgbNet> rgb = Model.create(RgbNet.class, Mode.INFERENCE, 1L);
        Model<GreyNet> grey = Model.create(GreyNet.class, Mode.INFERENCE, 2L)) {
      MapStateDict weights = torchStateDict(rgb);
      WeightImportException e = assertThrows(WeightImportException.class,
          () -> IMPORT.adaptInputChannels(false).into(grey, weights));
      assertTrue(e.getMessage().contains("[8, 3, 3, 3]"), e.getMessage());
    }
  }
}
