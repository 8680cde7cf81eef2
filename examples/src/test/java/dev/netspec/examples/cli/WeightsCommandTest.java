package dev.netspec.examples.cli;

import static dev.netspec.examples.cli.ParityCommandTest.resource;
import static dev.netspec.examples.cli.ParityCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code netspec weights}: fine-tuning imports with another head and the rules of a zoo family. */
class WeightsCommandTest {
  private static final String FIVE_CLASSES = "dev.netspec.examples.DenseNetBC100Five";
  private static final String FILE = resource("densenet_bc_100.safetensors").toString();

  @Test
  void anotherHeadIsRefusedUnlessSkipped() {
    ParityCommandTest.Run refused = run("weights", FIVE_CLASSES, FILE, "--rules",
        "densenet_bc_100");
    assertEquals(2, refused.exit(), refused.out());
    assertTrue(refused.err().contains("(2 mis-shaped)"), refused.err());
    assertTrue(refused.err().contains("'classifier.weight' has PyTorch shape [10, 342];"
        + " variable 'classifier.weight' needs [342, 5] (PyTorch shape [5, 342])"), refused.err());

    ParityCommandTest.Run skipped = run("weights", FIVE_CLASSES, FILE, "--rules",
        "densenet_bc_100", "--skip-head", "--list");
    assertEquals(0, skipped.exit(), skipped.err());
    assertTrue(skipped.out().contains("loaded 495 tensors (789,720 values); 2 head tensors"
        + " skipped"), skipped.out());
    assertTrue(skipped.out().contains("  skipped classifier.weight"), skipped.out());
  }

  @Test
  void withoutTheFamilysRulesOnlyTheHeadsNamesMatch() {
    ParityCommandTest.Run refused = run("weights", FIVE_CLASSES, FILE, "--non-strict");
    assertEquals(2, refused.exit(), refused.out());
    assertTrue(refused.err().contains("(2 mis-shaped); nothing loaded"), refused.err());
    ParityCommandTest.Run run = run("weights", FIVE_CLASSES, FILE, "--non-strict", "--skip-head");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("loaded 0 tensors (0 values); 495 variables left as initialized;"
        + " 495 unexpected keys ignored; 2 head tensors skipped"), run.out());
    ParityCommandTest.Run unknown = run("weights", FIVE_CLASSES, FILE, "--rules", "nope");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().startsWith("netspec: --rules nope: not a zoo name"), unknown.err());
  }
}
