package io.kreplay.transforms.measure;

import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Everything measured for one (phase, method, URL): three HdrHistograms in microseconds (3
 * significant digits, auto-resizing) and the counters. They are {@link PackedHistogram}s, whose
 * heap grows with the buckets in use: a key that saw 100 values between 1 ms and 60 s takes
 * ~2 KB where a flat Histogram(3) takes ~137 KB (DEVELOPERS.md), which is what lets a report
 * keep hundreds of URLs per phase. Latency and service time cover
 * successful requests (kperf's meaning); lag covers every request sent. Mergeable: merging the stats of several
 * shards equals the stats of all their outcomes.
 */
public final class Stats {
  static final int SIGNIFICANT_DIGITS = 3;

  final Histogram latency;
  final Histogram service;
  final Histogram lag;
  long ok;
  long failed;
  long skipped;
  long retries;
  long bytes;
  final TreeMap<String, Long> errors = new TreeMap<>();

  public Stats() {
    this(newHistogram(), newHistogram(), newHistogram());
  }

  static Histogram newHistogram() {
    return new PackedHistogram(SIGNIFICANT_DIGITS);
  }

  Stats(Histogram latency, Histogram service, Histogram lag) {
    this.latency = latency;
    this.service = service;
    this.lag = lag;
  }

  void add(Outcome o) {
    switch (o.result) {
      case OK:
        ok++;
        break;
      case FAILED:
        failed++;
        errors.merge(o.errorKey, 1L, Long::sum);
        break;
      case SKIPPED:
        skipped++;
        return; // never sent: no latency of any kind
    }
    retries += o.retries;
    bytes += o.bytes;
    lag.recordValue(o.lagMicros());
    if (o.result == Outcome.Result.OK) {
      // kperf's percentiles are over successful requests; ours keep that meaning.
      latency.recordValue(o.latencyMicros());
      service.recordValue(o.serviceMicros());
    }
  }

  void merge(Stats other) {
    latency.add(other.latency);
    service.add(other.service);
    lag.add(other.lag);
    ok += other.ok;
    failed += other.failed;
    skipped += other.skipped;
    retries += other.retries;
    bytes += other.bytes;
    other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
  }

  /** Every scheduled request ends as exactly one of ok, failed, skipped. */
  public long total() {
    return ok + failed + skipped;
  }

  public long ok() {
    return ok;
  }

  public long failed() {
    return failed;
  }

  public long skipped() {
    return skipped;
  }

  public long retries() {
    return retries;
  }

  public long bytes() {
    return bytes;
  }

  public TreeMap<String, Long> errors() {
    return errors;
  }

  /** Completion − intended send, µs. */
  public Histogram latency() {
    return latency;
  }

  /** Completion − actual send, µs (kperf's latency). */
  public Histogram service() {
    return service;
  }

  /** Actual − intended send, µs. */
  public Histogram lag() {
    return lag;
  }
}
