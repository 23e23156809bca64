package io.kreplay.transforms.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the PNG charts read from {@code report.json}. Lenient by design: a report from an older
 * kreplay (no timeline, no byUrl, no latencyDistribution) or with a malformed extra field gives
 * empty parts here, never an exception; kperf's own keys are the fallback where one exists.
 */
final class ReportView {
  record Window(double startSeconds, long ok, long failed, long skipped, double p50, double p99) {}

  record Timeline(double windowSeconds, List<Window> windows) {}

  record Url(String url, double p50, double p99, double max) {}

  /** One entry of perSpecResults, or aggregated. */
  static final class Result {
    final String name;
    final double startSeconds;
    final double endSeconds;
    final double intendedRate;
    final Map<String, Long> errors = new LinkedHashMap<>();
    final List<Url> urls = new ArrayList<>();
    final boolean urlsCorrected;
    private final JsonNode json;

    Result(JsonNode r, String fallbackName) {
      json = r;
      name = r.path("phase").isTextual() && !r.path("phase").asText().isEmpty() ? r.path("phase").asText() : fallbackName;
      startSeconds = number(r.get("startSeconds"));
      endSeconds = number(r.get("endSeconds"));
      intendedRate = number(r.get("intendedRate"));
      r.path("errorStats").fields().forEachRemaining(e -> {
        if (e.getValue().canConvertToLong() && e.getValue().asLong() > 0) {
          errors.put(e.getKey(), e.getValue().asLong());
        }
      });
      JsonNode byUrl = r.get("byUrl");
      if (byUrl != null && byUrl.isArray()) {
        urlsCorrected = true;
        for (JsonNode u : byUrl) {
          double p99 = number(u.get("p99"));
          if (u.path("url").isTextual() && !Double.isNaN(p99)) {
            urls.add(new Url(u.get("url").asText(), number(u.get("p50")), p99, number(u.get("max"))));
          }
        }
      } else {
        // kperf's own per-URL service-time percentiles.
        urlsCorrected = false;
        r.path("percentileLatenciesByURL").fields().forEachRemaining(e -> {
          double p99 = at(e.getValue(), 0.99);
          if (!Double.isNaN(p99)) {
            urls.add(new Url(e.getKey(), at(e.getValue(), 0.5), p99, at(e.getValue(), 1)));
          }
        });
      }
      urls.sort(Comparator.comparingDouble(Url::p99).reversed());
    }

    boolean hasRange() {
      return !Double.isNaN(startSeconds) && !Double.isNaN(endSeconds) && endSeconds > startSeconds;
    }

    /**
     * {@code [percentile 0..100, seconds]} for "corrected" or "service": the latencyDistribution
     * ticks when present, else the summary percentiles (the service fallback is kperf's own).
     */
    List<double[]> distribution(String kind) {
      List<double[]> points = new ArrayList<>();
      JsonNode ticks = json.path("latencyDistribution").get(kind);
      if (ticks != null && ticks.isArray() && ticks.size() > 0) {
        pairs(ticks, 1, points);
      } else if (kind.equals("corrected")) {
        pairs(json.get("correctedLatencies"), 100, points);
      } else {
        JsonNode service = json.get("servicePercentiles");
        pairs(service != null ? service : json.get("percentileLatencies"), 100, points);
      }
      points.sort(Comparator.comparingDouble(p -> p[0]));
      return points;
    }

    private static void pairs(JsonNode list, double scale, List<double[]> into) {
      if (list == null || !list.isArray()) {
        return;
      }
      for (JsonNode e : list) {
        double p = number(e.get(0));
        double v = number(e.get(1));
        if (!Double.isNaN(p) && !Double.isNaN(v) && p >= 0 && p * scale <= 100) {
          into.add(new double[] {p * scale, v});
        }
      }
    }
  }

  final List<Result> phases = new ArrayList<>();
  final Result aggregated;
  /** The run's windows (the aggregated timeline, else every phase's together), or null. */
  final Timeline timeline;

  ReportView(JsonNode report) {
    JsonNode perSpec = report == null ? null : report.get("perSpecResults");
    if (perSpec != null && perSpec.isArray()) {
      int i = 1;
      for (JsonNode r : perSpec) {
        if (r.isObject()) {
          phases.add(new Result(r, "phase " + i));
        }
        i++;
      }
    }
    JsonNode agg = report == null ? null : report.get("aggregated");
    aggregated = agg != null && agg.isObject() ? new Result(agg, "all") : null;
    Timeline t = agg == null ? null : timeline(agg.get("timeline"), null);
    if (t == null && perSpec != null && perSpec.isArray()) {
      for (JsonNode r : perSpec) {
        t = timeline(r.get("timeline"), t);
      }
    }
    timeline = t;
  }

  /** The end of the last phase or window, in seconds from the shared start; 0 if unknown. */
  double endSeconds() {
    double end = 0;
    for (Result r : phases) {
      if (r.hasRange()) {
        end = Math.max(end, r.endSeconds);
      }
    }
    if (timeline != null) {
      for (Window w : timeline.windows) {
        end = Math.max(end, w.startSeconds + timeline.windowSeconds);
      }
    }
    return end;
  }

  /** {@code into} plus the windows of {@code json}; null when there are none at all. */
  private static Timeline timeline(JsonNode json, Timeline into) {
    if (json == null || !json.path("windows").isArray()) {
      return into;
    }
    double size = number(json.get("windowSeconds"));
    if (Double.isNaN(size) || size <= 0) {
      size = into != null ? into.windowSeconds : 10;
    }
    List<Window> windows = new ArrayList<>(into == null ? List.of() : into.windows);
    for (JsonNode w : json.get("windows")) {
      double start = number(w.get("startSeconds"));
      if (Double.isNaN(start)) {
        continue;
      }
      windows.add(new Window(start, w.path("ok").asLong(0), w.path("failed").asLong(0), w.path("skipped").asLong(0),
          number(w.get("p50")), number(w.get("p99"))));
    }
    windows.sort(Comparator.comparingDouble(Window::startSeconds));
    return windows.isEmpty() ? into : new Timeline(size, windows);
  }

  /** The value at fraction {@code p} of a {@code [[p, seconds], ...]} list, or NaN. */
  static double at(JsonNode list, double p) {
    if (list != null && list.isArray()) {
      for (JsonNode e : list) {
        if (Math.abs(number(e.get(0)) - p) < 1e-9) {
          return number(e.get(1));
        }
      }
    }
    return Double.NaN;
  }

  static double number(JsonNode n) {
    return n != null && n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
