package io.kreplay.transforms.measure;

import io.kreplay.transforms.model.JsonFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * {@code --raw}: one gzip'd CSV per shard, {@code raw/shard-<S>.csv.gz} in the report
 * directory (any Beam filesystem), one row per scheduled request (kperf's {@code --raw-data}
 * equivalent). Columns, times in milliseconds:
 *
 * <pre>
 * intended_ms  intended send, from the shared start
 * lag_ms       actual − intended send (empty if never sent)
 * service_ms   completion − actual send (empty if never sent)
 * latency_ms   completion − intended send (empty if never sent)
 * phase        phase index
 * method,url   the report key ("(other)" is never used here: the real masked URL)
 * result       ok | failed | skipped
 * error        kperf's error key (failed), or why it was skipped
 * bytes        bytes received
 * </pre>
 *
 * Rows are in completion order, not intended order.
 */
public final class RawOutcomes implements AutoCloseable {
  public static final String DIR = "raw";
  public static final String HEADER = "intended_ms,lag_ms,service_ms,latency_ms,phase,method,url,result,error,bytes";

  private final Writer out;

  private RawOutcomes(Writer out) {
    this.out = out;
  }

  public static String fileName(int shard) {
    return DIR + "/shard-" + shard + ".csv.gz";
  }

  static RawOutcomes open(String reportDir, int shard) throws IOException {
    Writer w =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(
                    Channels.newOutputStream(
                        FileSystems.create(JsonFiles.in(reportDir, fileName(shard)), MimeTypes.BINARY)),
                    1 << 16),
                StandardCharsets.UTF_8),
            1 << 16);
    w.write(HEADER);
    w.write('\n');
    return new RawOutcomes(w);
  }

  void write(Outcome o, long originNanos) throws IOException {
    StringBuilder row = new StringBuilder(128);
    row.append(ms(o.intendedNanos - originNanos)).append(',');
    if (o.result == Outcome.Result.SKIPPED) {
      row.append(",,,");
    } else {
      row.append(ms(o.sentNanos - o.intendedNanos)).append(',')
          .append(ms(o.completedNanos - o.sentNanos)).append(',')
          .append(ms(o.completedNanos - o.intendedNanos)).append(',');
    }
    row.append(o.phase).append(',');
    csv(row, o.method).append(',');
    csv(row, o.url).append(',');
    row.append(o.result.name().toLowerCase(Locale.ROOT)).append(',');
    csv(row, o.errorKey == null ? "" : o.errorKey).append(',');
    row.append(o.bytes).append('\n');
    out.write(row.toString());
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.3f", Math.max(0, nanos) / 1e6);
  }

  /** RFC 4180 quoting for fields that need it (URLs with commas in a selector, error text). */
  private static StringBuilder csv(StringBuilder row, String field) {
    if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
      return row.append(field);
    }
    return row.append('"').append(field.replace("\"", "\"\"")).append('"');
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
