package io.kreplay.transforms.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.HistogramSetCoder;
import io.kreplay.transforms.measure.KperfReport;
import io.kreplay.transforms.measure.ReportContext;
import io.kreplay.transforms.model.JsonFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * The one place report files are written, from a merged {@link HistogramSet} and its
 * {@link ReportContext}: by the replay pipeline ({@link WriteReport}) and by
 * {@code kreplay report --from=DIR}, which reads them back with {@link #load}.
 */
public final class ReportFiles {
  public static final String REPORT_JSON = "report.json";
  public static final String HISTOGRAMS = "histograms.bin";
  public static final String CONTEXT = ReportContext.FILE;
  public static final String LATENCY_LOG = "latency.hlog";

  private ReportFiles() {}

  /** The histograms and context, as read back from a report directory. */
  public static final class Stored {
    public final HistogramSet histograms;
    public final ReportContext context;

    Stored(HistogramSet histograms, ReportContext context) {
      this.histograms = histograms;
      this.context = context;
    }
  }

  /** What every report file is built from: {@code histograms.bin} and {@code report-context.json}. */
  public static void store(String reportDir, HistogramSet set, ReportContext context) throws IOException {
    try (OutputStream out =
        Channels.newOutputStream(FileSystems.create(JsonFiles.in(reportDir, HISTOGRAMS), MimeTypes.BINARY))) {
      HistogramSetCoder.of().encode(set, out);
    }
    JsonFiles.write(JsonFiles.in(reportDir, CONTEXT), context);
  }

  /** Reads what {@link #store} wrote. */
  public static Stored load(String reportDir) throws IOException {
    HistogramSet set;
    try (InputStream in = Channels.newInputStream(FileSystems.open(JsonFiles.in(reportDir, HISTOGRAMS)))) {
      set = HistogramSetCoder.of().decode(in);
    }
    ReportContext context = JsonFiles.read(JsonFiles.in(reportDir, CONTEXT), ReportContext.class);
    if (context.formatVersion != ReportContext.FORMAT_VERSION) {
      throw new IOException(CONTEXT + " has format " + context.formatVersion + ", this kreplay reads "
          + ReportContext.FORMAT_VERSION);
    }
    return new Stored(set, context);
  }

  /** Writes every report file into {@code reportDir}; returns them in the order written. */
  public static List<ResourceId> writeAll(String reportDir, HistogramSet set, ReportContext context)
      throws IOException {
    return writeAll(reportDir, set, context, true);
  }

  /**
   * As {@link #writeAll(String, HistogramSet, ReportContext)}; without {@code charts}, only
   * report.json and latency.hlog (what a run stopped by its heap guard can still afford: the
   * page inlines ~1 MB of script and the PNGs are drawn in memory). {@code kreplay report
   * --from} draws them later, in a JVM with room.
   */
  public static List<ResourceId> writeAll(String reportDir, HistogramSet set, ReportContext context, boolean charts)
      throws IOException {
    List<ResourceId> written = new ArrayList<>();
    ResourceId json = JsonFiles.in(reportDir, REPORT_JSON);
    ObjectNode report = KperfReport.build(set, context);
    JsonFiles.write(json, report);
    written.add(json);
    ResourceId hlog = JsonFiles.in(reportDir, LATENCY_LOG);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(hlog, MimeTypes.TEXT))) {
      LatencyLog.write(set, context, out);
    }
    written.add(hlog);
    if (!charts) {
      return written;
    }
    // report.html and the chart PNGs are drawn from report.json alone, so old reports render too.
    for (String name : ReportHtml.write(report, reportDir)) {
      written.add(JsonFiles.in(reportDir, name));
    }
    return written;
  }
}
