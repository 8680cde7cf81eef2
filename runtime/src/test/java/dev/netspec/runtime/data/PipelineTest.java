package dev.netspec.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Synthetic shapes, transforms and the background batch loader. */
class PipelineTest {
  private static final Normalization IDENTITY =
      new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});

  @Test
  void syntheticShapesFollowTheSeedAlone() {
    DataSplits a = SyntheticShapes.generate(4, 30, 10, 32);
    DataSplits b = SyntheticShapes.generate(4, 30, 10, 32);
    DataSplits c = SyntheticShapes.generate(5, 30, 10, 32);
    for (int i = 0; i < 30; i++) {
      assertArrayEquals(a.train().image(i).pixels(), b.train().image(i).pixels());
      assertEquals(i % 10, a.train().label(i));
    }
    assertFalse(Arrays.equals(a.train().image(0).pixels(), c.train().image(0).pixels()));
    assertFalse(Arrays.equals(a.train().image(0).pixels(), a.validation().image(0).pixels()));
    for (float v : a.train().image(3).pixels()) {
      assertTrue(v >= 0 && v <= 1);
    }
    assertEquals(10, a.train().classes());
  }

  @Test
  void evaluationOfAnImageOfTheTargetSizeOnlyNormalizes() {
    Image image = SyntheticShapes.generate(1, 1, 1, 32).train().image(0);
    Normalization norm = new Normalization(new float[] {0.5f, 0.4f, 0.3f},
        new float[] {0.2f, 0.1f, 0.5f});
    float[] out = new float[32 * 32 * 3];
    Transform.evaluation(32, 32, norm).apply(image, null, out, 0);
    for (int i = 0; i < out.length; i++) {
      int c = i % 3;
      assertEquals((image.pixels()[i] - norm.mean()[c]) / norm.std()[c], out[i], 1e-5f);
    }
  }

  @Test
  void trainingCropsPadWithZerosAndFlipsMirror() {
    float[] ramp = new float[4 * 4];
    for (int i = 0; i < ramp.length; i++) {
      ramp[i] = (i + 1) / 16f;
    }
    Image image = new Image(4, 4, 1, ramp);
    Normalization one = new Normalization(new float[] {0}, new float[] {1});
    Transform flipOnly = new Transform(4, 4, 5, 0, true, true, one);
    Set<String> seen = new java.util.HashSet<>();
    for (int s = 0; s < 20; s++) {
      float[] out = new float[16];
      flipOnly.apply(image, new SplittableRandom(s), out, 0);
      seen.add(Arrays.toString(out));
      assertTrue(Arrays.equals(out, ramp) || out[0] == ramp[3], "either as is or mirrored");
    }
    assertEquals(2, seen.size());
    Transform padded = new Transform(4, 4, 5, 2, true, false, one);
    int zeros = 0;
    for (int s = 0; s < 20; s++) {
      float[] out = new float[16];
      padded.apply(image, new SplittableRandom(s), out, 0);
      for (float v : out) {
        zeros += v == 0 ? 1 : 0;
      }
    }
    assertTrue(zeros > 0, "crops reach into the zero padding");
  }

  @Test
  void resizingKeepsAFlatImageFlatAndTheAspectRatio() {
    float[] flat = new float[30 * 50 * 3];
    Arrays.fill(flat, 0.25f);
    Image resized = Resample.shorterSide(new Image(30, 50, 3, flat), 12);
    assertEquals("12x20x3", resized.shape());
    for (float v : resized.pixels()) {
      assertEquals(0.25f, v, 1e-6f);
    }
    // halving averages neighbours (PIL's antialiased bilinear weights 3:3:1)
    Image row = Resample.resize(new Image(1, 4, 1, new float[] {0, 0, 1, 1}), 1, 2);
    assertEquals(1 / 7f, row.pixels()[0], 1e-6f);
    assertEquals(6 / 7f, row.pixels()[1], 1e-6f);
  }

  @Test
  void batchesDependOnSeedEpochAndPositionNotOnWorkers() {
    Dataset data = SyntheticShapes.generate(2, 50, 1, 32).train();
    Set<String> threads = ConcurrentHashMap.newKeySet();
    Dataset watched = new Dataset() {
      public int size() {
        return data.size();
      }

      public List<String> classNames() {
        return data.classNames();
      }

      public int channels() {
        return 3;
      }

      public int label(int index) {
        return data.label(index);
      }

      public Image image(int index) {
        threads.add(Thread.currentThread().getName());
        return data.image(index);
      }

      public String describe() {
        return "watched";
      }
    };
    Transform transform = Transform.training(32, 32, IDENTITY);
    List<Batch> one = batches(watched, transform, 1, 3, 0);
    List<Batch> three = batches(watched, transform, 3, 3, 0);
    assertEquals(50 / 8, one.size()); // the last partial batch is dropped
    for (int b = 0; b < one.size(); b++) {
      assertArrayEquals(one.get(b).images(), three.get(b).images());
      assertArrayEquals(one.get(b).labels(), three.get(b).labels());
    }
    List<Batch> resumed = batches(watched, transform, 2, 3, 4);
    assertArrayEquals(one.get(4).images(), resumed.get(0).images(), "a batch is a batch");
    List<Batch> next = batches(watched, transform, 1, 4, 0);
    assertFalse(Arrays.equals(one.get(0).labels(), next.get(0).labels()),
        "each epoch has its own order");
    assertFalse(threads.contains(Thread.currentThread().getName()),
        "images are prepared off the training thread: " + threads);
  }

  private static List<Batch> batches(Dataset data, Transform transform, int workers, int epoch,
      int first) {
    List<Batch> batches = new ArrayList<>();
    try (BatchLoader loader = new BatchLoader(data, transform, 8, true, true, 9, workers, 2);
        BatchLoader.Epoch stream = loader.epoch(epoch, first)) {
      stream.forEachRemaining(batches::add);
    }
    return batches;
  }
}
