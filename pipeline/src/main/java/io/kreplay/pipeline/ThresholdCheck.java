package io.kreplay.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.kreplay.transforms.model.JsonFiles;
import io.kreplay.transforms.report.ReportFiles;
import io.kreplay.transforms.report.Thresholds;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** Thresholds from {@link ThresholdOptions}, the baseline report, and the verdict's exit code. */
final class ThresholdCheck {
  final Thresholds thresholds;
  final JsonNode baseline;

  private ThresholdCheck(Thresholds thresholds, JsonNode baseline) {
    this.thresholds = thresholds;
    this.baseline = baseline;
  }

  /** Parses the thresholds and reads the baseline, before anything runs. */
  static ThresholdCheck of(ThresholdOptions o) throws UsageException {
    Thresholds t;
    try {
      t = Thresholds.parse(o.getMaxP50(), o.getMaxP99(), o.getMaxP50Increase(), o.getMaxP99Increase(),
          o.getMaxErrorRate(), o.getMinThroughputRatio());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (t.hasRelative() && o.getBaseline() == null) {
      throw new UsageException("--max-p50-increase, --max-p99-increase and --min-throughput-ratio need --baseline");
    }
    return new ThresholdCheck(t, o.getBaseline() == null ? null : readReport(o.getBaseline(), "--baseline"));
  }

  /** A report.json, or a report directory holding one. */
  static JsonNode readReport(String dirOrJson, String option) throws UsageException {
    String file = dirOrJson.endsWith(".json") ? dirOrJson : null;
    try {
      JsonNode report =
          JsonFiles.readTree(
              file != null
                  ? org.apache.beam.sdk.io.FileSystems.matchNewResource(file, false)
                  : JsonFiles.in(dirOrJson, ReportFiles.REPORT_JSON));
      if (report == null || !report.has("aggregated")) {
        throw new UsageException(option + "=" + dirOrJson + ": not a report (no \"aggregated\" result)");
      }
      return report;
    } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
      throw new UsageException(option + "=" + dirOrJson + ": no report there ("
          + (file != null ? file : dirOrJson + "/" + ReportFiles.REPORT_JSON) + " not found)");
    } catch (IOException e) {
      throw new UsageException(option + "=" + dirOrJson + ": cannot read the report: " + e.getMessage());
    }
  }

  /** Prints each rule's verdict; {@link Kreplay#THRESHOLD_FAILED} when one failed. */
  int evaluate(JsonNode current, PrintStream out) {
    if (thresholds.isEmpty()) {
      return Kreplay.OK;
    }
    List<Thresholds.Verdict> verdicts = thresholds.check(current, baseline);
    long failed = verdicts.stream().filter(v -> !v.passed).count();
    verdicts.forEach(out::println);
    out.println(failed == 0
        ? "thresholds: all " + verdicts.size() + " checks passed"
        : "thresholds: " + failed + " of " + verdicts.size() + " checks failed");
    return failed == 0 ? Kreplay.OK : Kreplay.THRESHOLD_FAILED;
  }
}
