package dev.netspec.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;

class LayoutTest {
  private static float[] iota(int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = i;
    }
    return values;
  }

  @Test
  void convolutionsGoFromOihwToHwio() {
    Layout layout = Layout.plan(Shape.of(2, 3, 1, 2), Shape.of(1, 2, 3, 2), null, false)
        .orElseThrow();
    assertEquals(Layout.Kind.CONV, layout.kind());
    // source index (o, i, y, x) = o*6 + i*2 + x; target [y][x][i][o]
    float[] target = layout.apply(iota(12));
    float[] expected = new float[12];
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 3; i++) {
        for (int x = 0; x < 2; x++) {
          expected[(x * 3 + i) * 2 + o] = o * 6 + i * 2 + x;
        }
      }
    }
    assertArrayEquals(expected, target);
  }

  @Test
  void linearWeightsAndOneByOneClassifiersAreTransposed() {
    Layout linear = Layout.plan(Shape.of(2, 3), Shape.of(3, 2), null, false).orElseThrow();
    assertEquals(Layout.Kind.LINEAR, linear.kind());
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, linear.apply(iota(6)));
    Layout conv = Layout.plan(Shape.of(2, 3, 1, 1), Shape.of(3, 2), null, false).orElseThrow();
    assertEquals(Layout.Kind.CONV1X1_TO_LINEAR, conv.kind());
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, conv.apply(iota(6)));
    Layout asConv = Layout.plan(Shape.of(2, 3), Shape.of(1, 1, 3, 2), null, false).orElseThrow();
    assertEquals(Layout.Kind.LINEAR_TO_CONV1X1, asConv.kind());
    assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, asConv.apply(iota(6)));
    assertEquals(Layout.Kind.COPY,
        Layout.plan(Shape.of(7), Shape.of(7), null, false).orElseThrow().kind());
  }

  @Test
  void perChannelFactorsLoseTheirBroadcastAxes() {
    Layout scale = Layout.plan(Shape.of(3, 1, 1), Shape.of(3), null, false).orElseThrow();
    assertEquals(Layout.Kind.CHANNEL_FACTORS, scale.kind());
    assertArrayEquals(new float[] {0, 1, 2}, scale.apply(iota(3)));
    assertTrue(Layout.plan(Shape.of(3, 1, 2), Shape.of(3), null, false).isEmpty());
  }

  @Test
  void aLinearLayerAfterAFlattenReadsNhwcOrder() {
    int c = 3;
    int h = 2;
    int w = 4;
    int out = 5;
    SplittableRandom random = new SplittableRandom(5);
    float[] weight = new float[out * c * h * w];
    for (int i = 0; i < weight.length; i++) {
      weight[i] = (float) random.nextGaussian();
    }
    float[] map = new float[c * h * w]; // [C, H, W]
    for (int i = 0; i < map.length; i++) {
      map[i] = (float) random.nextGaussian();
    }
    Layout layout = Layout.plan(Shape.of(out, c * h * w), Shape.of(c * h * w, out),
        new int[] {h, w, c}, false).orElseThrow();
    assertEquals(Layout.Kind.FLATTENED_LINEAR, layout.kind());
    float[] converted = layout.apply(weight);
    for (int o = 0; o < out; o++) {
      double torch = 0;
      double nhwc = 0;
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            float v = map[(ch * h + y) * w + x];
            torch += weight[o * c * h * w + (ch * h + y) * w + x] * v;
            nhwc += converted[((y * w + x) * c + ch) * out + o] * v;
          }
        }
      }
      assertEquals(torch, nhwc, 1e-9);
    }
  }

  @Test
  void inputConvolutionsAdaptAsTimmDoes() {
    // [O=1, I=3, 1, 2]: channel weights (1, 2), (10, 20), (100, 200)
    float[] weight = {1, 2, 10, 20, 100, 200};
    Layout grey = Layout.plan(Shape.of(1, 3, 1, 2), Shape.of(1, 2, 1, 1), null, true)
        .orElseThrow();
    assertEquals(Layout.Kind.ADAPTED_CONV, grey.kind());
    assertArrayEquals(new float[] {111, 222}, grey.apply(weight));
    Layout four = Layout.plan(Shape.of(1, 3, 1, 2), Shape.of(1, 2, 4, 1), null, true)
        .orElseThrow();
    float[] s = {0.75f};
    assertArrayEquals(new float[] {1 * s[0], 10 * s[0], 100 * s[0], 1 * s[0],
        2 * s[0], 20 * s[0], 200 * s[0], 2 * s[0]}, four.apply(weight));
    assertTrue(Layout.plan(Shape.of(1, 3, 1, 2), Shape.of(1, 2, 1, 1), null, false).isEmpty(),
        "adaptation only where allowed");
    assertTrue(Layout.plan(Shape.of(1, 2, 1, 2), Shape.of(1, 2, 1, 1), null, true).isEmpty(),
        "only 3-channel weights adapt");
  }

  @Test
  void shapesThatDoNotCorrespondHaveNoLayout() {
    assertTrue(Layout.plan(Shape.of(4), Shape.of(5), null, false).isEmpty());
    assertTrue(Layout.plan(Shape.of(2, 3), Shape.of(2, 3), null, false).isEmpty());
    assertTrue(Layout.plan(Shape.of(8, 4, 3, 3), Shape.of(3, 3, 4, 9), null, false).isEmpty());
    assertTrue(Layout.plan(Shape.of(8, 4, 3, 3), Shape.of(3, 3, 8, 4), null, false).isEmpty());
    assertTrue(Layout.plan(Shape.of(8, 4, 3, 1), Shape.of(4, 8), null, false).isEmpty());
  }
}
