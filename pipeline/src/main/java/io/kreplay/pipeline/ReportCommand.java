package io.kreplay.pipeline;

import io.kreplay.transforms.model.JsonFiles;
import io.kreplay.transforms.report.ReportFiles;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/** {@code kreplay report --from=DIR}: rebuild every report file from the stored histograms. */
final class ReportCommand implements Command<ReportCommandOptions> {
  @Override
  public String name() {
    return "report";
  }

  @Override
  public String summary() {
    return "Rebuild every report file in --from from its histograms.bin and report-context.json, "
        + "without replaying; thresholds as for run.";
  }

  @Override
  public Class<ReportCommandOptions> optionsClass() {
    return ReportCommandOptions.class;
  }

  @Override
  public int run(ReportCommandOptions o, PrintStream out, PrintStream err) throws Exception {
    FileSystems.setDefaultPipelineOptions(o);
    ThresholdCheck check = ThresholdCheck.of(o);
    ReportFiles.Stored stored;
    try {
      stored = ReportFiles.load(o.getFrom());
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new UsageException("--from=" + o.getFrom() + " is not a report directory (needs "
          + ReportFiles.HISTOGRAMS + " and " + ReportFiles.CONTEXT + ")");
    } catch (java.io.IOException e) {
      throw new UsageException("--from=" + o.getFrom() + ": cannot read the stored histograms: " + e.getMessage());
    }
    for (ResourceId written : ReportFiles.writeAll(o.getFrom(), stored.histograms, stored.context)) {
      out.println("wrote " + written);
    }
    return check.evaluate(JsonFiles.readTree(JsonFiles.in(o.getFrom(), ReportFiles.REPORT_JSON)), out);
  }
}
