package dev.netspec.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.netspec.annotations.Act;
import dev.netspec.processor.ir.Cost;
import dev.netspec.processor.ir.TensorShape;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The arithmetic of {@code @DualPath} against timm: the expected figures are those of a {@code
 * nn.Sequential} of timm's {@code DualPathBlock}s ('proj' or 'down', then 'normal'), counted with
 * {@code sum(p.numel())} and a forward hook on every {@code Conv2d}, for a square input.
 */
class DualPathStageTest {

  private static DualPathStage stage(int blocks, int width, int inc, int kR, int g, int stride) {
    // k_R refers to a large DPN's first width, as DPN-92's stages do
    return new DualPathStage(blocks, width, inc, kR, g, stride, Optional.empty(), Act.RELU, 256);
  }

  @ParameterizedTest(name = "in {0}x{7}x{7}: blocks {1}, width {2}, inc {3}, kR {4}, G {5}, stride {6}")
  @CsvSource({
      // in, blocks, width, inc, kR, G, stride, size -> parameters, MACs, channels, side
      "64, 3, 256, 16, 96, 32, 1, 56, 173248, 534976512, 336, 56",   // DPN-92 conv2
      "336, 4, 512, 32, 96, 32, 2, 56, 1094208, 1003118592, 704, 28", // DPN-92 conv3
      "16, 1, 32, 8, 64, 4, 1, 16, 1456, 348160, 56, 16",
      "40, 2, 64, 8, 64, 4, 2, 15, 9168, 660096, 96, 8",
      "10, 5, 128, 12, 40, 5, 2, 9, 35776, 858200, 212, 5",
      "7, 2, 24, 3, 32, 3, 1, 5, 664, 13650, 36, 5",
  })
  void countsAsTimm(int in, int blocks, int width, int inc, int kR, int g, int stride, int size,
      long parameters, long macs, int channels, int side) {
    DualPathStage stage = stage(blocks, width, inc, kR, g, stride);
    TensorShape input = TensorShape.image(in, size, size);
    assertEquals(List.of(), stage.check(input));
    assertEquals(new Cost(parameters, macs), stage.cost(input));
    TensorShape out = stage.output(input);
    assertEquals(channels, out.channels());
    assertEquals(side, out.height());
    assertEquals(side, out.width());
    assertEquals(stride, out.stride());
  }

  @Test
  void dynamicSizeKeepsTheParametersAndLosesTheMacs() {
    Cost cost = stage(3, 256, 16, 96, 32, 1).cost(TensorShape.image(64, -1, -1));
    assertEquals(new Cost(173248, -1), cost);
  }

  @Test
  void squeezeExciteAddsTwoConvolutionsWithBiasPerBlock() {
    TensorShape input = TensorShape.image(64, 56, 56);
    DualPathStage plain = stage(3, 256, 16, 96, 32, 1);
    DualPathStage gated = new DualPathStage(3, 256, 16, 96, 32, 1,
        Optional.of(new SqueezeExciteUnit(16, 1)), Act.RELU);
    // per block: 256 -> 16 -> 256, weights and biases; one position per image
    long perBlock = 256 * 16 + 16 + 16 * 256 + 256;
    assertEquals(new Cost(3 * perBlock, 3 * 2 * 256 * 16),
        new Cost(gated.cost(input).parameters() - plain.cost(input).parameters(),
            gated.cost(input).macs() - plain.cost(input).macs()));
    assertEquals("DualPath res 256 + dense 80 + SE 1/16", gated.description());
    assertEquals("DualPath res 256 + dense 80", plain.description());
  }

  @Test
  void preluAddsOneSlopePerNormalizedChannel() {
    TensorShape input = TensorShape.image(16, 8, 8);
    DualPathStage relu = stage(1, 32, 8, 64, 4, 1);
    DualPathStage prelu = new DualPathStage(1, 32, 8, 64, 4, 1, Optional.empty(), Act.PRELU, 256);
    // BN-act over 16 (projection), 16 (c1x1_a), R = 8 (c3x3_b), R = 8 (c1x1_c)
    assertEquals(16 + 16 + 8 + 8,
        prelu.cost(input).parameters() - relu.cost(input).parameters());
  }

  @Test
  void reportsEveryNonPositiveValueOnItsAttribute() {
    List<Problem> problems = new DualPathStage(0, -1, 0, 0, 0, 0, Optional.empty(), Act.RELU)
        .check(TensorShape.image(8, 8, 8));
    assertEquals(List.of("blocks", "width", "inc", "kR", "G", "stride"),
        problems.stream().map(Problem::attribute).toList());
  }

  @Test
  void squeezeExciteProblemsNameTheModifier() {
    List<Problem> problems = new DualPathStage(1, 32, 8, 64, 4, 1,
        Optional.of(new SqueezeExciteUnit(0, 0)), Act.RELU).check(TensorShape.image(8, 8, 8));
    assertEquals(2, problems.size());
    assertTrue(problems.stream().allMatch(p -> "SqueezeExcite".equals(p.modifier())));
    assertEquals(List.of("reduction", "minChannels"),
        problems.stream().map(Problem::attribute).toList());
  }
}
