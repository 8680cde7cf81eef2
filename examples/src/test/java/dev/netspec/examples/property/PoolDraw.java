package dev.netspec.examples.property;

import dev.netspec.annotations.PoolKind;
import java.util.Optional;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * {@code @Pool}. The padding is at most half the kernel, as PyTorch requires, and the kernel
 * shrinks until it fits the padded input.
 *
 * @param stride -1 for the default, the kernel
 */
record PoolDraw(PoolKind kind, int kernel, int stride, int padding, boolean ceil)
    implements StageDraw {

  static Gen<PoolDraw> gen() {
    return Generate.enumValues(PoolKind.class).zip(Draws.of(2, 3, 1, 4, 5), Draws.of(-1, 1, 2, 3),
        Draws.of(0, 1, 2), Generate.booleans(), PoolDraw::new);
  }

  @Override
  public String name() {
    return "pool";
  }

  @Override
  public Optional<WrittenStage> write(SpecShape in, SpecWriter writer) {
    if (in.flat()) {
      return Optional.empty();
    }
    int k = kernel;
    while (k > in.smallerSide() + 2 * Math.min(padding, k / 2)) {
      k--;
    }
    int p = Math.min(padding, k / 2);
    int step = stride < 0 ? k : stride;
    AnnotationText text = new AnnotationText("Pool").setUnless(PoolKind.MAX, "kind", kind)
        .setUnless(2, "kernel", k).setUnless(-1, "stride", stride).setUnless(0, "padding", p)
        .setUnless(false, "ceil", ceil);
    writer.cover(kind == PoolKind.MAX ? Feature.POOL_MAX : Feature.POOL_AVG);
    writer.coverIf(p > 0, Feature.POOL_PADDED);
    writer.coverIf(ceil, Feature.POOL_CEIL);
    return Optional.of(new WrittenStage(text.toString(), in.windowed(k, p, step, ceil)));
  }
}
