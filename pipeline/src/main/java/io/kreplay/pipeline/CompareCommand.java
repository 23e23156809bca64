package io.kreplay.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.kreplay.transforms.report.ComparisonTable;
import java.io.PrintStream;
import org.apache.beam.sdk.io.FileSystems;

/** {@code kreplay compare}: a baseline and a current report side by side, and the thresholds' verdict. */
final class CompareCommand implements Command<CompareOptions> {
  @Override
  public String name() {
    return "compare";
  }

  @Override
  public String summary() {
    return "Compare a report with a baseline (per phase and per URL) and check thresholds such as "
        + "--max-p99-increase=10%: exit 1 when one fails.";
  }

  @Override
  public Class<CompareOptions> optionsClass() {
    return CompareOptions.class;
  }

  @Override
  public int run(CompareOptions o, PrintStream out, PrintStream err) throws Exception {
    FileSystems.setDefaultPipelineOptions(o);
    if (o.getBaseline() == null) {
      throw new UsageException("--baseline is required");
    }
    ThresholdCheck check = ThresholdCheck.of(o);
    JsonNode current = ThresholdCheck.readReport(o.getCurrent(), "--current");
    ComparisonTable.print(check.baseline, current, o.getUrls(), out);
    out.println();
    return check.evaluate(current, out);
  }
}
