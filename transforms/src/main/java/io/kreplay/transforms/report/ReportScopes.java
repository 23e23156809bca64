package io.kreplay.transforms.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads what {@code compare} and thresholds look at from a {@code report.json}, ours or
 * kperf's own: results by phase name ({@code "all"} for the aggregate; kperf's unnamed specs as
 * {@code "#0"}, {@code "#1"}, ...) and their percentiles, error rate and throughput.
 */
final class ReportScopes {
  static final String ALL = "all";

  private ReportScopes() {}

  /** Phase results by name, then the aggregate as "all". */
  static Map<String, JsonNode> of(JsonNode report) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    JsonNode specs = report.path("perSpecResults");
    for (int i = 0; i < specs.size(); i++) {
      JsonNode r = specs.get(i);
      String name = r.hasNonNull("phase") ? r.get("phase").asText() : "#" + i;
      out.putIfAbsent(name, r);
    }
    if (report.has("aggregated")) {
      out.put(ALL, report.get("aggregated"));
    }
    return out;
  }

  /** Ours carry corrected latency; kperf's reports only its service-time percentiles. */
  static boolean hasCorrected(JsonNode report) {
    return report.path("aggregated").has("correctedLatencies");
  }

  /** Latency at fraction {@code p} in seconds; null when the result has none. */
  static Double latency(JsonNode result, double p, boolean corrected) {
    JsonNode list = result.path(corrected ? "correctedLatencies" : "percentileLatencies");
    for (JsonNode e : list) {
      if (Math.abs(e.get(0).asDouble() - p) < 1e-9) {
        return e.get(1).asDouble();
      }
    }
    return null;
  }

  static long total(JsonNode r) {
    return r.path("total").asLong();
  }

  /** Failed or skipped (never sent) over all scheduled requests. */
  static double errorRate(JsonNode r) {
    long total = total(r);
    return total == 0 ? 0 : (r.path("totalFailed").asLong() + r.path("skipped").asLong()) / (double) total;
  }

  /** Achieved requests per second; null for reports without it (kperf's). */
  static Double throughput(JsonNode r) {
    return r.has("throughput") ? r.get("throughput").asDouble() : null;
  }
}
