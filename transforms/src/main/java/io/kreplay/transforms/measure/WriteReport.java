package io.kreplay.transforms.measure;

import io.kreplay.transforms.model.JsonFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes the combined measurements to the report directory (any Beam filesystem):
 * {@code report.json} in kperf's shape and {@code histograms.bin}, the same histograms in
 * {@link HistogramSetCoder} form so reports can be rebuilt without re-running.
 */
public final class WriteReport extends PTransform<PCollection<HistogramSet>, PDone> {
  public static final String REPORT_JSON = "report.json";
  public static final String HISTOGRAMS = "histograms.bin";

  private final String reportDir;
  private final List<KperfReport.Phase> phases;
  private final double totalSeconds;

  private WriteReport(String reportDir, List<KperfReport.Phase> phases, double totalSeconds) {
    this.reportDir = reportDir;
    this.phases = new ArrayList<>(phases);
    this.totalSeconds = totalSeconds;
  }

  public static WriteReport to(String reportDir, List<KperfReport.Phase> phases, double totalSeconds) {
    return new WriteReport(reportDir, phases, totalSeconds);
  }

  @Override
  public PDone expand(PCollection<HistogramSet> merged) {
    merged.apply("WriteReportFiles", ParDo.of(new WriteFn(reportDir, phases, totalSeconds)));
    return PDone.in(merged.getPipeline());
  }

  /** Writes both files for one merged set; also used by commands that rebuild reports. */
  public static void write(String reportDir, HistogramSet set, List<KperfReport.Phase> phases, double totalSeconds)
      throws IOException {
    try (OutputStream out =
        Channels.newOutputStream(FileSystems.create(JsonFiles.in(reportDir, HISTOGRAMS), MimeTypes.BINARY))) {
      HistogramSetCoder.of().encode(set, out);
    }
    JsonFiles.write(JsonFiles.in(reportDir, REPORT_JSON), KperfReport.build(set, phases, totalSeconds));
  }

  private static final class WriteFn extends DoFn<HistogramSet, Void> {
    private final String reportDir;
    private final List<KperfReport.Phase> phases;
    private final double totalSeconds;

    WriteFn(String reportDir, List<KperfReport.Phase> phases, double totalSeconds) {
      this.reportDir = reportDir;
      this.phases = phases;
      this.totalSeconds = totalSeconds;
    }

    @ProcessElement
    public void process(@Element HistogramSet set) throws IOException {
      write(reportDir, set, phases, totalSeconds);
    }
  }
}
