package io.kreplay.transforms.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.KperfReport;
import io.kreplay.transforms.measure.MeasureSettings;
import io.kreplay.transforms.measure.Outcome;
import io.kreplay.transforms.measure.ReportContext;
import io.kreplay.transforms.measure.Stats;
import io.kreplay.transforms.measure.WindowStats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.Test;

public class LatencyLogTest {
  static final long SEC = 1_000_000_000L;

  /** Two phases over 35 s; URLs with a comma, a space and a percent sign to escape. */
  static HistogramSet measured() {
    HistogramSet set = new MeasureSettings(10_000, 0, null).newHistogramSet();
    Random r = new Random(7);
    String[] urls = {"/api/v1/pods", "/api/v1/pods?labelSelector=a,b", "/api/v1/x y%z"};
    for (int i = 0; i < 3_500; i++) {
      long intended = i * 10_000_000L;
      long sent = intended + r.nextInt(1_000_000);
      long done = sent + 500_000 + r.nextInt(200_000_000);
      set.add(Outcome.ok(intended < 20 * SEC ? 0 : 1, i % 2 == 0 ? "GET" : "LIST", urls[i % 3], intended, sent, done,
          0, 0), 0);
    }
    return set;
  }

  static ReportContext context() {
    return ReportContext.of(
            Arrays.asList(new KperfReport.Phase(0, "ramp up", 0, 20, 2_000, null),
                new KperfReport.Phase(1, "peak", 20, 35, 1_500, null)), 35)
        .startedAt(1_700_000_000_000_000L);
  }

  @Test
  public void hdrHistogramsOwnReaderReadsEveryHistogramBackWithItsTag() {
    HistogramSet set = measured();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LatencyLog.write(set, context(), out);

    HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(out.toByteArray()));
    Map<String, Histogram> wholeRun = new HashMap<>();
    List<Histogram> untagged = new ArrayList<>();
    Map<String, List<Histogram>> perPhaseWindows = new HashMap<>();
    EncodableHistogram h;
    while ((h = reader.nextIntervalHistogram()) != null) {
      Histogram hist = (Histogram) h;
      if (hist.getTag() == null) {
        untagged.add(hist);
      } else if (hist.getTag().split("\\|").length == 4) {
        wholeRun.put(hist.getTag(), hist);
      } else {
        perPhaseWindows.computeIfAbsent(hist.getTag(), t -> new ArrayList<>()).add(hist);
      }
    }
    assertEquals(1_700_000_000.0, reader.getStartTimeSec(), 1e-6);

    // Whole run: every (phase, method, URL) x (corrected, service, lag), values identical.
    assertEquals(set.entries().size() * 3, wholeRun.size());
    for (Map.Entry<HistogramSet.Key, Stats> e : set.entries().entrySet()) {
      HistogramSet.Key k = e.getKey();
      String phase = k.phase() == 0 ? "ramp%20up" : "peak";
      String tag = "corrected|" + phase + "|" + k.method() + "|" + LatencyLog.escape(k.url());
      Histogram read = wholeRun.get(tag);
      assertEquals(tag, e.getValue().latency(), read);
      assertEquals(e.getValue().service(), wholeRun.get(tag.replaceFirst("corrected", "service")));
      assertEquals(e.getValue().lag(), wholeRun.get(tag.replaceFirst("corrected", "lag")));
      assertEquals("the tag decodes to the URL", k.url(),
          URLDecoder.decode(tag.split("\\|")[3].replace("+", "%2B"), StandardCharsets.UTF_8));
      assertEquals("the whole run starts at the shared start", 1_700_000_000_000L, read.getStartTimeStamp());
    }

    // One untagged interval per timeline window, in order, starting at its window.
    List<WindowStats> windows = new ArrayList<>(set.timeline(-1).values());
    assertEquals(4, untagged.size());
    for (int w = 0; w < 4; w++) {
      assertEquals(windows.get(w).latency(), untagged.get(w));
      assertEquals((1_700_000_000L + w * 10L) * 1000, untagged.get(w).getStartTimeStamp());
      assertEquals((1_700_000_000L + (w + 1) * 10L) * 1000, untagged.get(w).getEndTimeStamp());
    }
    assertEquals(2, perPhaseWindows.get("corrected|ramp%20up").size());
    assertEquals(2, perPhaseWindows.get("corrected|peak").size()); // 20-30 s and 30-35 s
    assertTrue(new String(out.toByteArray(), StandardCharsets.UTF_8).contains("[Histogram log format version 1.3]"));
  }
}
