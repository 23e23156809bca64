package io.kreplay.transforms.measure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
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

  /** A phase as the report names it. */
  public static final class PhaseInfo implements Serializable {
    private static final long serialVersionUID = 1L;
    final int index;
    final String name;
    final double durationSeconds;

    public PhaseInfo(int index, String name, double durationSeconds) {
      this.index = index;
      this.name = name;
      this.durationSeconds = durationSeconds;
    }
  }

  private final String reportDir;
  private final List<PhaseInfo> phases;
  private final double totalSeconds;

  private WriteReport(String reportDir, List<PhaseInfo> phases, double totalSeconds) {
    this.reportDir = reportDir;
    this.phases = new ArrayList<>(phases);
    this.totalSeconds = totalSeconds;
  }

  public static WriteReport to(String reportDir, List<PhaseInfo> phases, double totalSeconds) {
    return new WriteReport(reportDir, phases, totalSeconds);
  }

  @Override
  public PDone expand(PCollection<HistogramSet> merged) {
    merged.apply("WriteReportFiles", ParDo.of(new WriteFn(reportDir, phases, totalSeconds)));
    return PDone.in(merged.getPipeline());
  }

  /** Writes both files for one merged set; also used by commands that rebuild reports. */
  public static void write(String reportDir, HistogramSet set, List<PhaseInfo> phases, double totalSeconds)
      throws IOException {
    ResourceId dir = FileSystems.matchNewResource(reportDir, true);
    List<KperfReport.Phase> named = new ArrayList<>();
    for (PhaseInfo p : phases) {
      named.add(new KperfReport.Phase(p.index, p.name, p.durationSeconds));
    }
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(dir.resolve(HISTOGRAMS, StandardResolveOptions.RESOLVE_FILE), MimeTypes.BINARY))) {
      HistogramSetCoder.of().encode(set, out);
    }
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(dir.resolve(REPORT_JSON, StandardResolveOptions.RESOLVE_FILE), MimeTypes.TEXT))) {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out, KperfReport.build(set, named, totalSeconds));
    }
  }

  private static final class WriteFn extends DoFn<HistogramSet, Void> {
    private final String reportDir;
    private final List<PhaseInfo> phases;
    private final double totalSeconds;

    WriteFn(String reportDir, List<PhaseInfo> phases, double totalSeconds) {
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
