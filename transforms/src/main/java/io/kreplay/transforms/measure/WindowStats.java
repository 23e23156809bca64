package io.kreplay.transforms.measure;

import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * One timeline window (of one phase, or of all): the requests whose intended send fell in it,
 * how they ended, and their latency from the intended send (successful requests, as the
 * report's other latencies). 2 significant digits: a window's p99 within 1% is plenty for a
 * chart, and a run has hundreds of windows.
 */
public final class WindowStats {
  static final int SIGNIFICANT_DIGITS = 2;

  long ok;
  long failed;
  long skipped;
  final TreeMap<String, Long> errors = new TreeMap<>();
  final Histogram latency;

  public WindowStats() {
    this(newHistogram());
  }

  WindowStats(Histogram latency) {
    this.latency = latency;
  }

  static Histogram newHistogram() {
    return new PackedHistogram(SIGNIFICANT_DIGITS); // auto-resizing; heap grows with buckets in use
  }

  void add(Outcome o) {
    switch (o.result) {
      case OK:
        ok++;
        latency.recordValue(o.latencyMicros());
        break;
      case FAILED:
        failed++;
        errors.merge(o.errorKey, 1L, Long::sum);
        break;
      case SKIPPED:
        skipped++;
        break;
    }
  }

  void merge(WindowStats other) {
    ok += other.ok;
    failed += other.failed;
    skipped += other.skipped;
    other.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    latency.add(other.latency);
  }

  public long requests() {
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

  public TreeMap<String, Long> errors() {
    return errors;
  }

  /** Completion − intended send of the window's successful requests, µs. */
  public Histogram latency() {
    return latency;
  }
}
