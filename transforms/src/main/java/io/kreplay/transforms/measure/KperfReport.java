package io.kreplay.transforms.measure;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * {@code report.json} in kperf's multi-spec shape, {@code {"perSpecResults":[...],
 * "aggregated":{...}, "run":{...}}}. kperf's keys keep kperf's meanings so its tooling reads
 * them: latencies there are service times (completion − actual send). Our extras sit beside
 * them in each result: phase name and time range, corrected latency (from the intended send),
 * lag, skipped, retries, p99.9, intended and achieved rate, percentile distributions, the
 * partition, a timeline, and per-URL rows sorted slowest first. README's report section lists
 * every key; {@code report.html} and {@code kreplay compare} read them by these names.
 */
public final class KperfReport {
  /** kperf's percentiles, as fractions. */
  static final double[] KPERF_PERCENTILES = {0, 0.5, 0.9, 0.95, 0.99, 1};
  /** Ours add p99.9: tail latency is what capacity planning is about. */
  static final double[] EXTENDED_PERCENTILES = {0, 0.5, 0.9, 0.95, 0.99, 0.999, 1};

  private static final ObjectMapper JSON = new ObjectMapper();

  /** HdrHistogram percentile ticks per half distance for {@code latencyDistribution}. */
  static final int DISTRIBUTION_TICKS = 5;

  /** A phase: its name, intended time range from the shared start (replay seconds), plan. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Phase implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    @JsonProperty final int index;
    @JsonProperty final String name;
    @JsonProperty final double startSeconds;
    @JsonProperty final double endSeconds;
    /** Planned requests; -1 when unknown. */
    @JsonProperty final long requests;
    /** Planned requests per shard; null when unknown. */
    @JsonProperty final long[] perShard;

    public Phase(int index, String name, double durationSeconds) {
      this(index, name, 0, durationSeconds, -1, null);
    }

    @JsonCreator
    public Phase(
        @JsonProperty("index") int index,
        @JsonProperty("name") String name,
        @JsonProperty("startSeconds") double startSeconds,
        @JsonProperty("endSeconds") double endSeconds,
        @JsonProperty("requests") long requests,
        @JsonProperty("perShard") long[] perShard) {
      this.index = index;
      this.name = name;
      this.startSeconds = startSeconds;
      this.endSeconds = endSeconds;
      this.requests = requests;
      this.perShard = perShard;
    }

    public int index() {
      return index;
    }

    public String name() {
      return name;
    }

    double durationSeconds() {
      return endSeconds - startSeconds;
    }
  }

  private KperfReport() {}

  public static ObjectNode build(HistogramSet set, List<Phase> phases, double totalDurationSeconds) {
    return build(set, ReportContext.of(phases, totalDurationSeconds));
  }

  public static ObjectNode build(HistogramSet set, ReportContext ctx) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode perSpec = root.putArray("perSpecResults");
    long planned = 0;
    for (Phase p : ctx.phases) {
      ObjectNode r = result(set.rollUp(p.index), set.byUrl(p.index), p.durationSeconds());
      extras(r, set, p.index, p, p.requests, p.perShard);
      perSpec.add(r);
      planned = planned < 0 || p.requests < 0 ? -1 : planned + p.requests;
    }
    ObjectNode all = result(set.rollUp(-1), set.byUrl(-1), ctx.totalSeconds);
    extras(all, set, -1, new Phase(-1, "all", 0, ctx.totalSeconds, planned, null),
        planned, ctx.perShard.length > 0 ? ctx.perShard : null);
    root.set("aggregated", all);
    ObjectNode run = JSON.valueToTree(ctx.run);
    if (!set.stoppedBy().isEmpty()) {
      // Cut short: by a signal, or by the heap guard before the heap ran out.
      run.put("stoppedBy", String.join(",", set.stoppedBy()));
    }
    root.set("run", run);
    return root;
  }

  /** Our keys about the phase itself: name, range, rates, partition, timeline, URLs. */
  private static void extras(ObjectNode r, HistogramSet set, int phase, Phase p, long planned, long[] perShard) {
    r.put("phase", p.name);
    r.put("startSeconds", p.startSeconds);
    r.put("endSeconds", p.endSeconds);
    if (planned >= 0) {
      r.put("intendedRate", p.durationSeconds() > 0 ? planned / p.durationSeconds() : 0);
    }
    r.put("foldedRequests", set.foldedRequests(phase));
    if (perShard != null) {
      ObjectNode partition = r.putObject("partition");
      partition.put("shards", perShard.length);
      ArrayNode counts = partition.putArray("perShard");
      for (long c : perShard) {
        counts.add(c);
      }
      partition.put("imbalance", io.kreplay.transforms.plan.PlanManifest.imbalance(perShard));
    }
    if (set.windowMicros() > 0) {
      r.set("timeline", timeline(set, phase, p));
    }
    r.set("byUrl", byUrl(set.byUrl(phase)));
  }

  static ObjectNode timeline(HistogramSet set, int phase, Phase p) {
    ObjectNode t = JSON.createObjectNode();
    double windowSeconds = set.windowMicros() / 1e6;
    t.put("windowSeconds", windowSeconds);
    ArrayNode list = t.putArray("windows");
    java.util.TreeMap<Long, WindowStats> windows = set.timeline(phase);
    // Every window of the phase's range, empty ones included, so charts show gaps as zeros.
    long first = (long) Math.floor(p.startSeconds / windowSeconds + 1e-9);
    long last = Math.max(first, (long) Math.ceil(p.endSeconds / windowSeconds - 1e-9) - 1);
    if (!windows.isEmpty()) {
      first = Math.min(first, windows.firstKey());
      last = Math.max(last, windows.lastKey());
    }
    for (long i = first; i <= last; i++) {
      WindowStats w = windows.getOrDefault(i, new WindowStats());
      ObjectNode n = list.addObject();
      n.put("startSeconds", i * windowSeconds);
      n.put("requests", w.requests());
      n.put("ok", w.ok());
      n.put("failed", w.failed());
      n.put("skipped", w.skipped());
      ObjectNode errors = n.putObject("errors");
      w.errors().forEach(errors::put);
      if (w.latency().getTotalCount() > 0) {
        n.put("p50", w.latency().getValueAtPercentile(50) / 1e6);
        n.put("p99", w.latency().getValueAtPercentile(99) / 1e6);
      } else {
        n.putNull("p50");
        n.putNull("p99");
      }
    }
    return t;
  }

  /** One row per URL key, slowest p99 (corrected latency) first; URLs without a success last. */
  static ArrayNode byUrl(Map<String, Stats> byUrl) {
    List<Map.Entry<String, Stats>> rows = new java.util.ArrayList<>(byUrl.entrySet());
    rows.sort(
        java.util.Comparator.<Map.Entry<String, Stats>>comparingLong(e -> p99OrMinus(e.getValue()))
            .reversed()
            .thenComparing(Map.Entry::getKey));
    ArrayNode list = JSON.createArrayNode();
    for (Map.Entry<String, Stats> e : rows) {
      Stats s = e.getValue();
      ObjectNode n = list.addObject();
      n.put("url", e.getKey());
      n.put("count", s.total());
      n.put("failed", s.failed());
      n.put("skipped", s.skipped());
      if (s.latency().getTotalCount() > 0) {
        n.put("p50", s.latency().getValueAtPercentile(50) / 1e6);
        n.put("p99", s.latency().getValueAtPercentile(99) / 1e6);
        n.put("max", s.latency().getMaxValue() / 1e6);
      } else {
        n.putNull("p50");
        n.putNull("p99");
        n.putNull("max");
      }
    }
    return list;
  }

  private static long p99OrMinus(Stats s) {
    return s.latency().getTotalCount() > 0 ? s.latency().getValueAtPercentile(99) : -1;
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
      ObjectNode distribution = r.putObject("latencyDistribution");
      distribution.set("corrected", distribution(all.latency));
      distribution.set("service", distribution(all.service));
    }
    return r;
  }

  /** {@code [[percentile 0..100, seconds], ...]} at HdrHistogram's percentile ticks. */
  static ArrayNode distribution(Histogram micros) {
    ArrayNode list = JSON.createArrayNode();
    for (HistogramIterationValue v : micros.percentiles(DISTRIBUTION_TICKS)) {
      list.addArray().add(v.getPercentileLevelIteratedTo()).add(v.getValueIteratedTo() / 1e6);
    }
    return list;
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
