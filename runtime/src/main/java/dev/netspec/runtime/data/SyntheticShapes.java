package dev.netspec.runtime.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A procedural dataset that needs no download: ten kinds of filled shapes drawn with Java2D at a
 * random position, size, rotation and stretch, in random colours on a random gradient, with
 * clutter lines, a random outline and pixel noise. Every image is a function of the seed, its split
 * and its index, so the same seed gives the same images on every machine (Java2D's software
 * rasterizer; no fonts involved).
 *
 * <p>Learnable but not trivial: pentagons, hexagons and circles differ by a few pixels at the
 * smallest sizes, and clutter crosses the shapes.
 */
public final class SyntheticShapes implements Dataset {

  /** The classes, in label order. */
  public static final List<String> CLASSES = List.of("circle", "ring", "triangle", "square",
      "pentagon", "hexagon", "star", "cross", "crescent", "arrow");

  private static final Shape[] OUTLINES = outlines();

  private final long seed;
  private final int split;
  private final int size;
  private final int count;
  private final byte[] pixels;

  private SyntheticShapes(long seed, int split, int count, int size) {
    if (count < 1) {
      throw new IllegalArgumentException("a synthetic split needs at least 1 image, got " + count);
    }
    if (size < 8) {
      throw new IllegalArgumentException("synthetic images need a side of at least 8, got " + size);
    }
    this.seed = seed;
    this.split = split;
    this.size = size;
    this.count = count;
    this.pixels = new byte[count * size * size * 3];
    IntStream.range(0, count).parallel().forEach(this::draw);
  }

  /**
   * Draws {@code train} training and {@code validation} validation images of {@code size ×
   * size} RGB from {@code seed}.
   */
  public static DataSplits generate(long seed, int train, int validation, int size) {
    return new DataSplits(new SyntheticShapes(seed, 0, train, size),
        new SyntheticShapes(seed, 1, validation, size));
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public List<String> classNames() {
    return CLASSES;
  }

  @Override
  public int channels() {
    return 3;
  }

  @Override
  public int label(int index) {
    return index % CLASSES.size();
  }

  @Override
  public Image image(int index) {
    return Image.ofBytes(size, size, 3, pixels, index * size * size * 3);
  }

  @Override
  public String describe() {
    return String.format("synthetic shapes (seed %d), %s split: %,d images of %dx%d in %d classes",
        seed, split == 0 ? "training" : "validation", count, size, size, CLASSES.size());
  }

  private void draw(int index) {
    SplittableRandom random = Shuffle.stream(seed, 0x5348415045L + split, index);
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      float[] background = randomColor(random);
      float[] background2 = jitter(background, 0.35f, random);
      float[] foreground = contrasting(background, random);
      g.setPaint(new GradientPaint((float) (random.nextDouble() * size), 0f, color(background),
          (float) (random.nextDouble() * size), size, color(background2)));
      g.fillRect(0, 0, size, size);
      clutter(g, random, 1 + random.nextInt(2));

      double radius = size * (0.2 + 0.2 * random.nextDouble());
      double cx = size / 2.0 + (random.nextDouble() - 0.5) * (size - 2 * radius) * 0.8;
      double cy = size / 2.0 + (random.nextDouble() - 0.5) * (size - 2 * radius) * 0.8;
      double stretch = 0.85 + 0.3 * random.nextDouble();
      AffineTransform at = new AffineTransform();
      at.translate(cx, cy);
      at.rotate(random.nextDouble() * 2 * Math.PI);
      at.scale(radius * stretch, radius / stretch);
      Shape shape = at.createTransformedShape(OUTLINES[label(index)]);
      g.setColor(color(foreground));
      g.fill(shape);
      if (random.nextDouble() < 0.3) {
        g.setColor(color(jitter(foreground, 0.5f, random)));
        g.setStroke(new BasicStroke(1f));
        g.draw(shape);
      }
      clutter(g, random, random.nextInt(2));
    } finally {
      g.dispose();
    }
    double noise = 0.06 * 255 * random.nextDouble();
    int offset = index * size * size * 3;
    int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    for (int p = 0; p < rgb.length; p++) {
      for (int c = 0; c < 3; c++) {
        int value = (rgb[p] >> (16 - 8 * c)) & 0xff;
        value += (int) Math.round(random.nextGaussian() * noise);
        pixels[offset + p * 3 + c] = (byte) Math.max(0, Math.min(255, value));
      }
    }
  }

  /** Thin lines across the image in random colours. */
  private void clutter(Graphics2D g, SplittableRandom random, int lines) {
    for (int i = 0; i < lines; i++) {
      g.setColor(color(randomColor(random)));
      g.setStroke(new BasicStroke((float) (0.5 + random.nextDouble())));
      g.draw(new Line2D.Double(random.nextDouble() * size, random.nextDouble() * size,
          random.nextDouble() * size, random.nextDouble() * size));
    }
  }

  private static float[] randomColor(SplittableRandom random) {
    return new float[] {(float) random.nextDouble(), (float) random.nextDouble(),
        (float) random.nextDouble()};
  }

  private static float[] jitter(float[] base, float amount, SplittableRandom random) {
    float[] out = new float[3];
    for (int c = 0; c < 3; c++) {
      out[c] = clamp(base[c] + (float) ((random.nextDouble() - 0.5) * amount));
    }
    return out;
  }

  /** A colour whose luminance differs from {@code background}'s by at least 0.3. */
  private static float[] contrasting(float[] background, SplittableRandom random) {
    float[] color = randomColor(random);
    for (int attempt = 0; attempt < 20 && Math.abs(luma(color) - luma(background)) < 0.3f;
        attempt++) {
      color = randomColor(random);
    }
    if (Math.abs(luma(color) - luma(background)) < 0.3f) {
      float target = luma(background) > 0.5f ? 0.1f : 0.9f;
      color = new float[] {target, target, target};
    }
    return color;
  }

  private static float luma(float[] rgb) {
    return 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
  }

  private static float clamp(float v) {
    return Math.max(0f, Math.min(1f, v));
  }

  private static Color color(float[] rgb) {
    return new Color(clamp(rgb[0]), clamp(rgb[1]), clamp(rgb[2]));
  }

  /** Each class's outline around the origin, radius about 1. */
  private static Shape[] outlines() {
    Area ring = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
    ring.subtract(new Area(new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1)));
    Area cross = new Area(new Rectangle2D.Double(-1, -0.3, 2, 0.6));
    cross.add(new Area(new Rectangle2D.Double(-0.3, -1, 0.6, 2)));
    Area crescent = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
    crescent.subtract(new Area(new Ellipse2D.Double(-0.55, -0.85, 1.7, 1.7)));
    Path2D arrow = new Path2D.Double();
    arrow.moveTo(-1, -0.22);
    arrow.lineTo(0.15, -0.22);
    arrow.lineTo(0.15, -0.6);
    arrow.lineTo(1, 0);
    arrow.lineTo(0.15, 0.6);
    arrow.lineTo(0.15, 0.22);
    arrow.lineTo(-1, 0.22);
    arrow.closePath();
    return new Shape[] {
        new Ellipse2D.Double(-1, -1, 2, 2), ring, polygon(3, 1, 1), polygon(4, 1, 1),
        polygon(5, 1, 1), polygon(6, 1, 1), polygon(5, 1, 0.45), cross, crescent, arrow};
  }

  /** A regular polygon, or a star when {@code inner < outer}. */
  private static Shape polygon(int corners, double outer, double inner) {
    Path2D path = new Path2D.Double();
    int points = inner < outer ? 2 * corners : corners;
    for (int i = 0; i < points; i++) {
      double r = inner < outer && i % 2 == 1 ? inner : outer;
      double angle = -Math.PI / 2 + 2 * Math.PI * i / points;
      double x = r * Math.cos(angle);
      double y = r * Math.sin(angle);
      if (i == 0) {
        path.moveTo(x, y);
      } else {
        path.lineTo(x, y);
      }
    }
    path.closePath();
    return path;
  }
}
