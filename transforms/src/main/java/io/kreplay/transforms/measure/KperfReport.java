package io.kreplay.transforms.measure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code report.json} in kperf's multi-spec shape, {@code {"perSpecResults":[...],
 * "aggregated":{...}}}. kperf's keys keep kperf's meanings so its tooling reads them: latencies
 * there are service times (completion − actual send). Our extras sit beside them: corrected
 * latency (from the intended send), lag, skipped, retries, p99.9 and throughput.
 */
public final class KperfReport {
  /** kperf's percentiles, as fractions. */
  static final double[] KPERF_PERCENTILES = {0, 0.5, 0.9, 0.95, 0.99, 1};
  /** Ours add p99.9: tail latency is what capacity planning is about. */
  static final double[] EXTENDED_PERCENTILES = {0, 0.5, 0.9, 0.95, 0.99, 0.999, 1};

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A phase's name and how long it ran. */
  public static final class Phase implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final int index;
    final String name;
    final double durationSeconds;

    public Phase(int index, String name, double durationSeconds) {
      this.index = index;
      this.name = name;
      this.durationSeconds = durationSeconds;
    }
  }

  private KperfReport() {}

  public static ObjectNode build(HistogramSet set, List<Phase> phases, double totalDurationSeconds) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode perSpec = root.putArray("perSpecResults");
    for (Phase p : phases) {
      ObjectNode r = result(set.rollUp(p.index), set.byUrl(p.index), p.durationSeconds);
      r.put("phase", p.name);
      perSpec.add(r);
    }
    root.set("aggregated", result(set.rollUp(-1), set.byUrl(-1), totalDurationSeconds));
    return root;
  }

  static ObjectNode result(Stats all, Map<String, Stats> byUrl, double durationSeconds) {
    ObjectNode r = JSON.createObjectNode();
    long run = all.ok + all.failed;
    r.put("total", all.total());
    r.put("duration", goDuration(durationSeconds));
    if (!all.errors.isEmpty()) {
      ObjectNode errors = r.putObject("errorStats");
      all.errors.forEach(errors::put);
    }
    r.put("totalReceivedBytes", all.bytes);
    if (all.service.getTotalCount() > 0) {
      r.set("percentileLatencies", percentiles(all.service, KPERF_PERCENTILES));
      ObjectNode perUrl = r.putObject("percentileLatenciesByURL");
      byUrl.forEach((url, s) -> {
        if (s.service.getTotalCount() > 0) {
          perUrl.set(url, percentiles(s.service, KPERF_PERCENTILES));
        }
      });
    }
    r.put("totalRun", run);
    r.put("totalFailed", all.failed);
    // Extras, beside kperf's keys.
    r.put("skipped", all.skipped);
    r.put("retries", all.retries);
    r.put("throughput", durationSeconds > 0 ? run / durationSeconds : 0);
    if (all.latency.getTotalCount() > 0) {
      r.set("correctedLatencies", percentiles(all.latency, EXTENDED_PERCENTILES));
      r.set("servicePercentiles", percentiles(all.service, EXTENDED_PERCENTILES));
      r.set("lagPercentiles", percentiles(all.lag, EXTENDED_PERCENTILES));
    }
    return r;
  }

  /** {@code [[p, seconds], ...]}; p=0 is the minimum and p=1 the maximum, as in kperf. */
  static ArrayNode percentiles(Histogram micros, double[] ps) {
    ArrayNode list = JSON.createArrayNode();
    for (double p : ps) {
      long v =
          p == 0 ? micros.getMinValue() : p == 1 ? micros.getMaxValue() : micros.getValueAtPercentile(p * 100);
      list.addArray().add(BigDecimal.valueOf(p)).add(v / 1e6);
    }
    return list;
  }

  /** Go's time.Duration.String() for the same span: "1m30.5s", "2.25s", "150ms", "0s". */
  static String goDuration(double seconds) {
    long nanos = Math.round(seconds * 1e9);
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 1_000_000_000L) {
      if (nanos < 1_000) {
        return nanos + "ns";
      }
      return nanos < 1_000_000 ? trim(nanos / 1e3) + "µs" : trim(nanos / 1e6) + "ms";
    }
    long h = nanos / 3_600_000_000_000L;
    long m = nanos / 60_000_000_000L % 60;
    double s = (nanos % 60_000_000_000L) / 1e9;
    StringBuilder sb = new StringBuilder();
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    return sb.append(trim(s)).append('s').toString();
  }

  private static String trim(double v) {
    return BigDecimal.valueOf(v).setScale(9, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }
}
