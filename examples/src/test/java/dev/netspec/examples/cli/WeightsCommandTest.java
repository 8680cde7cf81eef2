package dev.netspec.examples.cli;

import static dev.netspec.examples.cli.ParityCommandTest.resource;
import static dev.netspec.examples.cli.ParityCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code netspec weights}: fine-tuning imports into another head, rules of a zoo family. */
class WeightsCommandTest {
  private static final String EMBEDDING_8 = "dev.netspec.examples.TinyFacePReLU8";
  private static final String FILE = resource("tiny_face_prelu.safetensors").toString();

  @Test
  void anotherHeadIsRefusedUnlessSkipped() {
    ParityCommandTest.Run refused = run("weights", EMBEDDING_8, FILE);
    assertEquals(2, refused.exit(), refused.out());
    assertTrue(refused.err().contains("(6 mis-shaped); nothing loaded"), refused.err());
    assertTrue(refused.err().contains("'fc1.weight' has PyTorch shape [16, 128]; variable"
        + " 'fc1.weight' needs [128, 8] (PyTorch shape [8, 128])"), refused.err());

    ParityCommandTest.Run skipped = run("weights", EMBEDDING_8, FILE, "--skip-head", "--list",
        "--rules", "densenet121_face_prelu");
    assertEquals(0, skipped.exit(), skipped.err());
    assertTrue(skipped.out().contains("loaded 45 tensors (2,268 values); 6 head tensors skipped"),
        skipped.out());
    assertTrue(skipped.out().contains("\n  skipped fc1.weight\n"), skipped.out());
    assertTrue(skipped.out().contains("\n  skipped embedding.running_var\n"), skipped.out());
  }

  @Test
  void nonStrictImportsReportWhatTheyLeftOut() {
    ParityCommandTest.Run run = run("weights", "dev.netspec.examples.TinyFacePReLU",
        resource("densenet_bc_100.safetensors").toString(), "--non-strict");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("loaded 0 tensors (0 values); 51 variables left as"
        + " initialized; 497 unexpected keys ignored"), run.out());
  }

  @Test
  void unknownRulesAreRefusedBeforeAnythingIsBuilt() {
    ParityCommandTest.Run unknown = run("weights", EMBEDDING_8, FILE, "--rules", "nope");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().startsWith("netspec: --rules nope: not a zoo name"), unknown.err());
  }
}
