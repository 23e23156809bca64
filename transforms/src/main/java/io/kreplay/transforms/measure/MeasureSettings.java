package io.kreplay.transforms.measure;

import java.io.Serializable;

/** What shards measure beyond the histograms: timeline resolution, URL cap, raw outcomes. */
public final class MeasureSettings implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final long DEFAULT_TIMELINE_MILLIS = 10_000;
  public static final int DEFAULT_MAX_URLS_PER_PHASE = 1_000;

  /** Timeline window length. */
  public final long timelineMillis;
  /** Distinct (method, URL) keys per phase before requests fold into "(other)"; 0: no cap. */
  public final int maxUrlsPerPhase;
  /** Report directory to write per-request outcomes under ({@code raw/}); null: off. */
  public final String rawReportDir;

  public MeasureSettings(long timelineMillis, int maxUrlsPerPhase, String rawReportDir) {
    if (timelineMillis <= 0) {
      throw new IllegalArgumentException("timeline window must be > 0 ms, got " + timelineMillis);
    }
    if (maxUrlsPerPhase < 0) {
      throw new IllegalArgumentException("URL cap must be >= 0, got " + maxUrlsPerPhase);
    }
    this.timelineMillis = timelineMillis;
    this.maxUrlsPerPhase = maxUrlsPerPhase;
    this.rawReportDir = rawReportDir;
  }

  public static MeasureSettings defaults() {
    return new MeasureSettings(DEFAULT_TIMELINE_MILLIS, DEFAULT_MAX_URLS_PER_PHASE, null);
  }

  /** An empty set with these settings, for a shard to record into. */
  public HistogramSet newHistogramSet() {
    return new HistogramSet(timelineMillis * 1_000, maxUrlsPerPhase);
  }
}
