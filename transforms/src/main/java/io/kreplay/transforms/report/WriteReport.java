package io.kreplay.transforms.report;

import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.ReportContext;
import io.kreplay.transforms.replay.ReplayStop;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes the combined measurements to the report directory (any Beam filesystem): what a
 * report is rebuilt from ({@code histograms.bin}, {@code report-context.json}), then every
 * report file ({@link ReportFiles#writeAll}).
 */
public final class WriteReport extends PTransform<PCollection<HistogramSet>, PDone> {
  public static final String REPORT_JSON = ReportFiles.REPORT_JSON;
  public static final String HISTOGRAMS = ReportFiles.HISTOGRAMS;

  private final String reportDir;
  private final ReportContext context;

  private WriteReport(String reportDir, ReportContext context) {
    this.reportDir = reportDir;
    this.context = context;
  }

  public static WriteReport to(String reportDir, ReportContext context) {
    return new WriteReport(reportDir, context);
  }

  @Override
  public PDone expand(PCollection<HistogramSet> merged) {
    merged.apply("WriteReportFiles", ParDo.of(new WriteFn(reportDir, context)));
    return PDone.in(merged.getPipeline());
  }

  private static final class WriteFn extends DoFn<HistogramSet, Void> {
    private final String reportDir;
    private final ReportContext context;

    WriteFn(String reportDir, ReportContext context) {
      this.reportDir = reportDir;
      this.context = context;
    }

    @ProcessElement
    public void process(@Element HistogramSet set) throws IOException {
      ReportFiles.store(reportDir, set, context);
      // A run its heap guard stopped writes report.json and the histograms, not the charts.
      ReportFiles.writeAll(reportDir, set, context, !set.stoppedBy().contains(ReplayStop.HEAP));
    }
  }
}
