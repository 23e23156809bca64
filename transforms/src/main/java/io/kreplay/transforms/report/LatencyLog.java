package io.kreplay.transforms.report;

import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.KperfReport;
import io.kreplay.transforms.measure.ReportContext;
import io.kreplay.transforms.measure.Stats;
import io.kreplay.transforms.measure.WindowStats;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * {@code latency.hlog}: the report's histograms as an HdrHistogram interval log (format 1.3),
 * written by HdrHistogram's own {@link HistogramLogWriter}, so its {@code HistogramLogReader},
 * {@code HistogramLogProcessor} and HistogramLogAnalyzer read it. Values are microseconds.
 *
 * <ul>
 *   <li>Whole run, one interval from the shared start to the end of the replay, tagged
 *       {@code <metric>|<phase>|<METHOD>|<url>} with metric {@code corrected} (completion −
 *       intended send, successes), {@code service} (completion − send, successes) or {@code lag}
 *       (send − intended, every request sent).
 *   <li>One interval per timeline window: untagged, the corrected latency of every phase (what
 *       the log tools show by default), and tagged {@code corrected|<phase>} per phase. These
 *       keep the timeline's 2 significant digits.
 * </ul>
 *
 * HdrHistogram tags may not hold commas, spaces or line breaks: those characters, {@code |}
 * and {@code %} are percent-encoded in phase names and URLs (a selector's {@code a,b} is
 * {@code a%2Cb}).
 */
public final class LatencyLog {
  private LatencyLog() {}

  /** Microseconds in a millisecond: the ratio the log's max column is printed in. */
  static final double MAX_VALUE_UNIT_RATIO = 1_000.0;

  public static void write(HistogramSet set, ReportContext context, OutputStream out) {
    PrintStream print = new PrintStream(out, false, StandardCharsets.UTF_8);
    HistogramLogWriter log = new HistogramLogWriter(print);
    Map<Integer, String> names = new TreeMap<>();
    for (KperfReport.Phase p : context.phases) {
      names.put(p.index(), p.name());
    }
    log.outputComment("kreplay latency log: values in microseconds; max column in milliseconds");
    log.outputComment("tags: <metric>|<phase>|<METHOD>|<url> for the whole run (metric: corrected, service, lag);");
    log.outputComment("untagged and corrected|<phase>: corrected latency per timeline window");
    log.outputLogFormatVersion();
    long startMillis = context.run.startedAt != null ? Instant.parse(context.run.startedAt).toEpochMilli() : 0;
    log.outputStartTime(startMillis);
    log.outputLegend();

    double windowSeconds = set.windowMicros() / 1e6;
    double end = context.totalSeconds;
    if (windowSeconds > 0 && !set.timeline(-1).isEmpty()) {
      end = Math.max(end, (set.timeline(-1).lastKey() + 1) * windowSeconds);
    }
    for (Map.Entry<HistogramSet.Key, Stats> e : set.entries().entrySet()) {
      HistogramSet.Key k = e.getKey();
      String suffix =
          "|" + escape(names.getOrDefault(k.phase(), "phase-" + k.phase())) + "|" + escape(k.method()) + "|"
              + escape(k.url());
      output(log, 0, end, e.getValue().latency(), "corrected" + suffix);
      output(log, 0, end, e.getValue().service(), "service" + suffix);
      output(log, 0, end, e.getValue().lag(), "lag" + suffix);
    }
    if (windowSeconds > 0) {
      Map<Integer, TreeMap<Long, WindowStats>> perPhase = new TreeMap<>();
      for (int phase : set.phases()) {
        perPhase.put(phase, set.timeline(phase));
      }
      for (Map.Entry<Long, WindowStats> w : set.timeline(-1).entrySet()) {
        double from = w.getKey() * windowSeconds;
        output(log, from, from + windowSeconds, w.getValue().latency(), null);
        for (int phase : perPhase.keySet()) {
          WindowStats ws = perPhase.get(phase).get(w.getKey());
          if (ws != null) {
            String name = names.getOrDefault(phase, "phase-" + phase);
            output(log, from, from + windowSeconds, ws.latency(), "corrected|" + escape(name));
          }
        }
      }
    }
    print.flush();
  }

  private static void output(HistogramLogWriter log, double from, double to, Histogram h, String tag) {
    if (h.getTotalCount() == 0) {
      return;
    }
    Histogram copy = h.copy();
    copy.setTag(tag);
    log.outputIntervalHistogram(from, to, copy, MAX_VALUE_UNIT_RATIO);
  }

  /** Percent-encodes what a tag may not hold (comma, whitespace, line breaks) and our separators. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      if (c == ',' || c == '|' || c == '%' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
          sb.append('%').append(String.format("%02X", b & 0xff));
        }
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
