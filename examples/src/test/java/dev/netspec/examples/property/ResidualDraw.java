package dev.netspec.examples.property;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.netspec.annotations.Act;
import dev.netspec.annotations.Block;
import dev.netspec.annotations.Downsample;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@code @Residual} with its modifiers. Fitted to what the processor accepts: a basic block has
 * neither groups nor a base width; split attention needs a bottleneck; neither attention modifier
 * goes with pre-activation; the 2×2 average pool of {@code Downsample.AVG_CONV} strides 2 at
 * most; the bottleneck's width, {@code planes × baseWidth / 64 × groups}, is at least one channel
 * per group and at most 64.
 */
record ResidualDraw(int blocks, int planes, Block block, int stride, int groups, int baseWidth,
    Variant variant, Modifiers modifiers) implements StageDraw {

  /** The settings that change the block's layout. */
  record Variant(boolean preact, double dropout, Downsample downsample) {
    static Gen<Variant> gen() {
      return Generate.booleans().zip(Draws.of(0.0, 0.2), Generate.enumValues(Downsample.class),
          Variant::new);
    }
  }

  /** The modifier annotations beside the stage. */
  record Modifiers(Optional<SqueezeExciteDraw> squeezeExcite, Optional<AttentionDraw> attention) {
    static Gen<Modifiers> gen() {
      return SqueezeExciteDraw.optional().zip(AttentionDraw.optional(), Modifiers::new);
    }
  }

  private static final int MAX_WIDTH = 64;

  static Gen<ResidualDraw> gen() {
    Gen<Integer> blocks = integers().between(1, 2);
    Gen<Integer> planes = Draws.of(8, 4, 2, 16, 1, 3);
    Gen<Block> kinds = Generate.enumValues(Block.class);
    Gen<Integer> strides = Draws.of(1, 2, 3);
    Gen<Integer> groups = Draws.of(1, 2, 4, 8);
    Gen<Integer> baseWidths = Draws.of(64, 4, 16, 32, 128);
    Gen<Variant> variants = Variant.gen();
    Gen<Modifiers> modifiers = Modifiers.gen();
    return in -> new ResidualDraw(blocks.generate(in), planes.generate(in), kinds.generate(in),
        strides.generate(in), groups.generate(in), baseWidths.generate(in),
        variants.generate(in), modifiers.generate(in));
  }

  @Override
  public String name() {
    return "layer";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    if (in.flat()) {
      return Optional.empty();
    }
    Optional<AttentionDraw> attention = modifiers.attention();
    Block b = attention.filter(a -> a instanceof AttentionDraw.SplitAttentionDraw).isPresent()
        ? Block.BOTTLENECK : block;
    boolean preact = variant.preact() && attention.isEmpty();
    int g = b == Block.BASIC ? 1 : fittedGroups(b);
    int w = b == Block.BASIC || width(b, minimumBaseWidth(), g) > MAX_WIDTH
        ? 64 : minimumBaseWidth();
    int s = variant.downsample() == Downsample.AVG_CONV ? Math.min(stride, 2) : stride;
    int width = width(b, w, g);
    AnnotationText text = new AnnotationText("Residual").set("blocks", blocks)
        .set("planes", planes).setUnless(Block.BOTTLENECK, "block", b).setUnless(1, "stride", s)
        .setUnless(1, "groups", g).setUnless(64, "baseWidth", w).setUnless(false, "preact", preact)
        .setUnless(0.0, "dropout", variant.dropout())
        .setUnless(Downsample.CONV, "downsample", variant.downsample());
    String modifierText = attention
        .map(a -> a.annotation(b == Block.BASIC ? in.channels() : width, width, g)).orElse("")
        + SqueezeExciteDraw.annotation(modifiers.squeezeExcite());
    cover(writer, b, s, g, w, preact);
    writer.activation(Act.DEFAULT);
    int out = b == Block.BOTTLENECK ? planes * 4 : planes;
    return Optional.of(new WrittenStage(modifierText + text,
        in.windowed(3, 1, s, false).withChannels(out)));
  }

  /** The drawn base width, or the smallest that leaves a channel per group. */
  private int minimumBaseWidth() {
    return Math.max(baseWidth, (64 + planes - 1) / planes);
  }

  /** The drawn groups, halved until the bottleneck's width is at most {@value #MAX_WIDTH}. */
  private int fittedGroups(Block b) {
    int g = groups;
    while (g > 1 && width(b, minimumBaseWidth(), g) > MAX_WIDTH) {
      g /= 2;
    }
    return g;
  }

  private int width(Block b, int w, int g) {
    return b == Block.BOTTLENECK ? planes * w / 64 * g : planes;
  }

  private void cover(SpecWriter writer, Block b, int s, int g, int w, boolean preact) {
    writer.cover(b == Block.BASIC ? Feature.RESIDUAL_BASIC : Feature.RESIDUAL_BOTTLENECK);
    writer.coverIf(s > 1, Feature.RESIDUAL_STRIDED);
    writer.coverIf(g > 1, Feature.RESIDUAL_GROUPED);
    writer.coverIf(w != 64, Feature.RESIDUAL_BASE_WIDTH);
    writer.coverIf(preact, Feature.RESIDUAL_PREACT);
    writer.coverIf(s > 1 && variant.downsample() == Downsample.AVG_CONV,
        Feature.RESIDUAL_AVG_DOWNSAMPLE);
    writer.coverIf(variant.dropout() > 0, Feature.RESIDUAL_DROPOUT);
    writer.coverIf(modifiers.squeezeExcite().isPresent(), Feature.SQUEEZE_EXCITE_ON_RESIDUAL);
    modifiers.attention().ifPresent(a -> {
      if (a instanceof AttentionDraw.SplitAttentionDraw) {
        writer.cover(Feature.SPLIT_ATTENTION);
        writer.coverIf(s > 1, Feature.SPLIT_ATTENTION_STRIDED);
      } else {
        writer.cover(b == Block.BASIC
            ? Feature.SELECTIVE_KERNEL_ON_BASIC : Feature.SELECTIVE_KERNEL_ON_BOTTLENECK);
      }
    });
  }
}
