package io.kreplay.transforms.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code kreplay compare}'s table: per phase (matched by name, {@code all} for the whole run)
 * requests, p50/p99/p99.9, error rate and throughput, baseline against current with the delta;
 * then per URL p99, slowest current first. Latency is corrected latency when both reports have
 * it, else kperf's service time.
 */
public final class ComparisonTable {
  private ComparisonTable() {}

  private static final String ROW = "%-28s %-18s %14s %14s %14s%n";

  public static void print(JsonNode baseline, JsonNode current, int maxUrls, PrintStream out) {
    boolean corrected = ReportScopes.hasCorrected(baseline) && ReportScopes.hasCorrected(current);
    Map<String, JsonNode> base = ReportScopes.of(baseline);
    Map<String, JsonNode> cur = ReportScopes.of(current);
    Set<String> phases = new LinkedHashSet<>(cur.keySet());
    phases.remove(ReportScopes.ALL);
    base.keySet().stream().filter(p -> !p.equals(ReportScopes.ALL)).forEach(phases::add);
    phases.add(ReportScopes.ALL);
    out.println("latency: " + (corrected ? "corrected (from the intended send)" : "service time (kperf's)"));
    out.printf(Locale.ROOT, ROW, "phase", "metric", "baseline", "current", "delta");
    for (String phase : phases) {
      JsonNode b = base.get(phase);
      JsonNode c = cur.get(phase);
      if (b == null || c == null) {
        out.printf(Locale.ROOT, "%-28s only in the %s report%n", cut(phase, 28), b == null ? "current" : "baseline");
        continue;
      }
      row(out, phase, "requests", (double) ReportScopes.total(b), (double) ReportScopes.total(c), Kind.COUNT);
      for (double p : new double[] {0.5, 0.99, 0.999}) {
        row(out, "", label(p), ReportScopes.latency(b, p, corrected), ReportScopes.latency(c, p, corrected),
            Kind.SECONDS);
      }
      row(out, "", "error rate", ReportScopes.errorRate(b), ReportScopes.errorRate(c), Kind.RATE);
      row(out, "", "throughput", ReportScopes.throughput(b), ReportScopes.throughput(c), Kind.PER_SECOND);
    }
    urls(baseline, current, corrected, maxUrls, out);
  }

  private enum Kind {
    COUNT,
    SECONDS,
    RATE,
    PER_SECOND
  }

  private static void row(PrintStream out, String phase, String metric, Double b, Double c, Kind kind) {
    if (b == null && c == null) {
      return;
    }
    out.printf(Locale.ROOT, ROW, cut(phase, 28), metric, format(b, kind), format(c, kind), delta(b, c, kind));
  }

  private static String label(double p) {
    return p == 0.5 ? "p50" : p == 0.99 ? "p99" : "p99.9";
  }

  private static String format(Double v, Kind kind) {
    if (v == null) {
      return "-";
    }
    switch (kind) {
      case COUNT:
        return String.format(Locale.ROOT, "%d", v.longValue());
      case SECONDS:
        return Thresholds.ms(v);
      case RATE:
        return Thresholds.pct(v);
      default:
        return String.format(Locale.ROOT, "%.1f/s", v);
    }
  }

  /** Relative change; for rates, percentage points (a relative change of 0.1% is meaningless). */
  private static String delta(Double b, Double c, Kind kind) {
    if (b == null || c == null) {
      return "-";
    }
    if (kind == Kind.RATE) {
      return String.format(Locale.ROOT, "%+.2fpp", (c - b) * 100);
    }
    return b == 0 ? (c == 0 ? "+0.0%" : "new") : Thresholds.signedPct((c - b) / b);
  }

  /** Per URL p99 (and count), slowest current first, at most {@code maxUrls} rows per phase. */
  private static void urls(JsonNode baseline, JsonNode current, boolean corrected, int maxUrls, PrintStream out) {
    if (maxUrls <= 0) {
      return;
    }
    Map<String, JsonNode> base = ReportScopes.of(baseline);
    out.println();
    out.printf(Locale.ROOT, "%-28s %-64s %10s %10s %10s %8s%n", "phase", "url (p99)", "baseline", "current", "delta",
        "count");
    for (Map.Entry<String, JsonNode> e : ReportScopes.of(current).entrySet()) {
      JsonNode b = base.get(e.getKey());
      Map<String, Double[]> bu = b == null ? Map.of() : urlP99(b, corrected);
      Map<String, Double[]> cu = urlP99(e.getValue(), corrected);
      List<String> keys = new ArrayList<>(cu.keySet());
      keys.sort(Comparator.comparing((String k) -> cu.get(k)[0] == null ? -1 : cu.get(k)[0]).reversed());
      int shown = 0;
      for (String url : keys) {
        if (shown++ == maxUrls) {
          out.printf(Locale.ROOT, "%-28s (%d more URLs)%n", cut(e.getKey(), 28), keys.size() - maxUrls);
          break;
        }
        Double bp = bu.containsKey(url) ? bu.get(url)[0] : null;
        Double cp = cu.get(url)[0];
        Double count = cu.get(url)[1];
        out.printf(Locale.ROOT, "%-28s %-64s %10s %10s %10s %8s%n", cut(e.getKey(), 28), cut(url, 64),
            format(bp, Kind.SECONDS), format(cp, Kind.SECONDS), delta(bp, cp, Kind.SECONDS),
            count == null ? "-" : String.valueOf(count.longValue()));
      }
    }
  }

  /** URL → {p99 seconds or null, count or null}: from our byUrl rows, else kperf's by-URL map. */
  private static Map<String, Double[]> urlP99(JsonNode r, boolean corrected) {
    Map<String, Double[]> out = new TreeMap<>();
    if (corrected && r.has("byUrl")) {
      for (JsonNode row : r.get("byUrl")) {
        out.put(row.get("url").asText(), new Double[] {
          row.hasNonNull("p99") ? row.get("p99").asDouble() : null, row.get("count").asDouble()});
      }
      return out;
    }
    r.path("percentileLatenciesByURL").fields().forEachRemaining(f -> {
      Double p99 = null;
      for (JsonNode e : f.getValue()) {
        if (Math.abs(e.get(0).asDouble() - 0.99) < 1e-9) {
          p99 = e.get(1).asDouble();
        }
      }
      out.put(f.getKey(), new Double[] {p99, null});
    });
    return out;
  }

  private static String cut(String s, int width) {
    return s.length() <= width ? s : "…" + s.substring(s.length() - width + 1);
  }
}
