package io.kreplay.transforms.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pass/fail rules on a report, k6-threshold style, checked on every phase and on the whole
 * run ({@code all}): absolute limits on the current report, and limits relative to a baseline
 * report (phases matched by name). Latency is corrected latency (from the intended send) when
 * both reports have it, else kperf's service-time percentiles. A rule left null is not checked.
 */
public final class Thresholds {
  /** Absolute limits, µs. */
  final Long maxP50Micros;
  final Long maxP99Micros;
  /** Relative increase over the baseline, as a fraction (0.1 = +10%). */
  final Double maxP50Increase;
  final Double maxP99Increase;
  /** (failed + skipped) / total, as a fraction. */
  final Double maxErrorRate;
  /** Current throughput / baseline throughput must be at least this. */
  final Double minThroughputRatio;

  private Thresholds(Long maxP50Micros, Long maxP99Micros, Double maxP50Increase, Double maxP99Increase,
      Double maxErrorRate, Double minThroughputRatio) {
    this.maxP50Micros = maxP50Micros;
    this.maxP99Micros = maxP99Micros;
    this.maxP50Increase = maxP50Increase;
    this.maxP99Increase = maxP99Increase;
    this.maxErrorRate = maxErrorRate;
    this.minThroughputRatio = minThroughputRatio;
  }

  /**
   * From option values as typed (null or empty: not set). Durations need a unit
   * ({@code 500ms}, {@code 1.5s}, {@code 250us}, {@code 2m}, {@code 1h}); rates and increases a percent sign
   * ({@code 10%}); the throughput ratio is a number or a percentage ({@code 0.9}, {@code 90%}).
   *
   * @throws IllegalArgumentException naming the option and what was wrong
   */
  public static Thresholds parse(String maxP50, String maxP99, String maxP50Increase, String maxP99Increase,
      String maxErrorRate, String minThroughputRatio) {
    return new Thresholds(
        duration("max-p50", maxP50),
        duration("max-p99", maxP99),
        percent("max-p50-increase", maxP50Increase, false),
        percent("max-p99-increase", maxP99Increase, false),
        percent("max-error-rate", maxErrorRate, false),
        percent("min-throughput-ratio", minThroughputRatio, true));
  }

  public static Thresholds none() {
    return new Thresholds(null, null, null, null, null, null);
  }

  public boolean isEmpty() {
    return maxP50Micros == null && maxP99Micros == null && !hasRelative() && maxErrorRate == null;
  }

  /** Rules that need a baseline report. */
  public boolean hasRelative() {
    return maxP50Increase != null || maxP99Increase != null || minThroughputRatio != null;
  }

  private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(us|µs|ms|s|m|h)");
  private static final Pattern NUMBER = Pattern.compile("[0-9]+(?:\\.[0-9]+)?");

  static Long duration(String option, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--" + option + "=" + value + ": expected a duration with a unit, e.g. 500ms, 1.5s, 250us, 2m, 1h");
    }
    double v = Double.parseDouble(m.group(1));
    double micros;
    switch (m.group(2)) {
      case "us":
      case "µs":
        micros = v;
        break;
      case "ms":
        micros = v * 1e3;
        break;
      case "s":
        micros = v * 1e6;
        break;
      case "m":
        micros = v * 60e6;
        break;
      default:
        micros = v * 3_600e6;
    }
    return Math.round(micros);
  }

  static Double percent(String option, String value, boolean plainNumberAllowed) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.trim();
    if (v.endsWith("%") && NUMBER.matcher(v.substring(0, v.length() - 1).trim()).matches()) {
      return Double.parseDouble(v.substring(0, v.length() - 1).trim()) / 100;
    }
    if (plainNumberAllowed && NUMBER.matcher(v).matches()) {
      return Double.parseDouble(v);
    }
    throw new IllegalArgumentException(
        "--" + option + "=" + value + ": expected a percentage, e.g. 10%" + (plainNumberAllowed ? " or 0.9" : ""));
  }

  /** One rule checked on one phase. */
  public static final class Verdict {
    public final String phase;
    public final String rule;
    public final String actual;
    public final String limit;
    public final boolean passed;

    Verdict(String phase, String rule, String actual, String limit, boolean passed) {
      this.phase = phase;
      this.rule = rule;
      this.actual = actual;
      this.limit = limit;
      this.passed = passed;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %s: %s %s (%s %s)", passed ? "PASS" : "FAIL", phase, rule, actual,
          passed ? "within" : "beyond", limit);
    }
  }

  /**
   * Checks every rule on every phase of {@code current}; relative rules only where
   * {@code baseline} (may be null) has the same phase.
   */
  public List<Verdict> check(JsonNode current, JsonNode baseline) {
    List<Verdict> out = new ArrayList<>();
    boolean corrected = ReportScopes.hasCorrected(current) && (baseline == null || ReportScopes.hasCorrected(baseline));
    String latencyName = corrected ? "" : " (service)";
    Map<String, JsonNode> base = baseline == null ? Map.of() : ReportScopes.of(baseline);
    for (Map.Entry<String, JsonNode> e : ReportScopes.of(current).entrySet()) {
      String phase = e.getKey();
      JsonNode cur = e.getValue();
      boolean sentAny = ReportScopes.total(cur) > 0;
      absolute(out, phase, "p50" + latencyName, ReportScopes.latency(cur, 0.5, corrected), maxP50Micros, sentAny);
      absolute(out, phase, "p99" + latencyName, ReportScopes.latency(cur, 0.99, corrected), maxP99Micros, sentAny);
      if (maxErrorRate != null && sentAny) {
        double rate = ReportScopes.errorRate(cur);
        out.add(new Verdict(phase, "error rate", pct(rate), "max " + pct(maxErrorRate), rate <= maxErrorRate));
      }
      JsonNode b = base.get(phase);
      if (b == null) {
        continue;
      }
      relative(out, phase, "p50" + latencyName + " increase", ReportScopes.latency(b, 0.5, corrected),
          ReportScopes.latency(cur, 0.5, corrected), maxP50Increase);
      relative(out, phase, "p99" + latencyName + " increase", ReportScopes.latency(b, 0.99, corrected),
          ReportScopes.latency(cur, 0.99, corrected), maxP99Increase);
      Double bt = ReportScopes.throughput(b);
      Double ct = ReportScopes.throughput(cur);
      if (minThroughputRatio != null && bt != null && ct != null && bt > 0) {
        double ratio = ct / bt;
        out.add(new Verdict(phase, "throughput ratio", String.format(Locale.ROOT, "%.3f", ratio),
            String.format(Locale.ROOT, "min %.3f", minThroughputRatio), ratio >= minThroughputRatio));
      }
    }
    return out;
  }

  private static void absolute(List<Verdict> out, String phase, String rule, Double seconds, Long maxMicros,
      boolean sentAny) {
    if (maxMicros == null || !sentAny) {
      return;
    }
    if (seconds == null) {
      out.add(new Verdict(phase, rule, "none (no successful request)", "max " + ms(maxMicros / 1e6), false));
      return;
    }
    // Compare in µs: report values are µs / 1e6, so this is exact.
    out.add(new Verdict(phase, rule, ms(seconds), "max " + ms(maxMicros / 1e6), Math.round(seconds * 1e6) <= maxMicros));
  }

  private static void relative(List<Verdict> out, String phase, String rule, Double base, Double cur, Double max) {
    if (max == null || base == null || cur == null || base <= 0) {
      return;
    }
    double increase = (cur - base) / base;
    out.add(new Verdict(phase, rule, signedPct(increase) + " (" + ms(base) + " → " + ms(cur) + ")",
        "max " + signedPct(max), increase <= max + 1e-12));
  }

  static String ms(double seconds) {
    return String.format(Locale.ROOT, "%.1fms", seconds * 1000);
  }

  static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
  }

  static String signedPct(double fraction) {
    return String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
  }
}
