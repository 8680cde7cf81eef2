package dev.netspec.runtime.io;

import java.util.List;

/**
 * What an import did.
 *
 * @param loaded variables assigned from the file
 * @param values the number of values assigned
 * @param adapted input convolutions whose channels were adapted, "name: [from] -> [to]"
 * @param missing variables the file had nothing for, left as they were (non-strict imports only)
 * @param unexpected keys of the file that match no variable, not used (non-strict imports only)
 * @param skipped keys of the head left out by {@code skipHead} (the head keeps its values)
 * @param ignored keys dropped on purpose ({@code num_batches_tracked}, excluded keys, rules)
 */
public record ImportReport(int loaded, long values, List<String> adapted, List<String> missing,
    List<String> unexpected, List<String> skipped, List<String> ignored) {

  public ImportReport {
    adapted = List.copyOf(adapted);
    missing = List.copyOf(missing);
    unexpected = List.copyOf(unexpected);
    skipped = List.copyOf(skipped);
    ignored = List.copyOf(ignored);
  }

  /** One line: "loaded 320 tensors (25,557,032 values); 2 unexpected keys ignored". */
  public String summary() {
    StringBuilder text = new StringBuilder(String.format(java.util.Locale.ROOT,
        "loaded %d tensors (%,d values)", loaded, values));
    append(text, adapted.size(), "input convolution adapted", "input convolutions adapted");
    append(text, missing.size(), "variable left as initialized", "variables left as initialized");
    append(text, unexpected.size(), "unexpected key ignored", "unexpected keys ignored");
    append(text, skipped.size(), "head tensor skipped", "head tensors skipped");
    return text.toString();
  }

  private static void append(StringBuilder text, int count, String one, String many) {
    if (count > 0) {
      text.append("; ").append(count).append(' ').append(count == 1 ? one : many);
    }
  }
}
