package dev.netspec.processor;

import static com.google.common.truth.Truth.assertThat;

import dev.netspec.processor.model.NetworkModel;
import dev.netspec.processor.testing.ModelProbe;
import dev.netspec.processor.testing.SpecCompiler;
import dev.netspec.processor.testing.Specs;
import dev.netspec.processor.testing.Tool;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An even kernel is padded by 0 by default, as PyTorch's Conv2d: ConvNeXt's patchify stem. */
class EvenKernelPaddingTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Tool.class)
  void kernel4Stride4MapsA32x32ImageTo8x8(Tool tool) {
    ModelProbe probe = new ModelProbe();
    SpecCompiler compiler = new SpecCompiler(tool, dir).withProcessor(probe);
    compiler.compile(Specs.spec("""
        @Network(name = "Patchify", input = @Input(channels = 3, height = 32, width = 32))
        public interface PatchifySpec {
          @Conv(channels = 96, kernel = 4, stride = 4, bias = true, norm = Norm.NONE, act = Act.NONE)
          Operand<TFloat32> stem();
          @Conv(channels = 96, kernel = 2, stride = 2, padding = 1) Operand<TFloat32> padded();
          @Conv(channels = 96, kernel = 3) Operand<TFloat32> odd();
        }
        """));
    NetworkModel model = probe.model("Patchify");
    assertThat(model.stages().get(0).output().describe()).isEqualTo("8x8x96");
    assertThat(model.stages().get(1).output().describe()).isEqualTo("5x5x96");
    assertThat(model.stages().get(2).output().describe()).isEqualTo("5x5x96");
  }
}
