package io.kreplay.transforms.measure;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one shard has measured since it last handed its measurements on, and, with
 * {@code --raw}, every outcome in its raw file. Not thread-safe: the shard serialises calls.
 */
public final class ShardMeasurements implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardMeasurements.class);

  private final MeasureSettings settings;
  private final long originNanos;
  private HistogramSet measured;
  private RawOutcomes raw;

  /** {@code originNanos}: the shared start on this JVM's nanoTime clock. */
  public ShardMeasurements(MeasureSettings settings, int shard, long originNanos) {
    this.settings = settings;
    this.originNanos = originNanos;
    this.measured = settings.newHistogramSet();
    if (settings.rawReportDir != null) {
      try {
        raw = RawOutcomes.open(settings.rawReportDir, shard);
      } catch (IOException e) {
        LOG.error("shard {}: cannot write raw outcomes under {}: {}", shard, settings.rawReportDir, e.toString());
      }
    }
  }

  public void add(Outcome o) {
    measured.add(o, originNanos);
    if (raw != null) {
      try {
        raw.write(o, originNanos);
      } catch (IOException e) {
        LOG.error("raw outcomes: write failed, no more raw rows from this shard: {}", e.toString());
        closeRaw();
      }
    }
  }

  /** What was measured since the last drain; null when nothing was. */
  public HistogramSet drain() {
    if (measured.isEmpty()) {
      return null;
    }
    HistogramSet out = measured;
    measured = settings.newHistogramSet();
    return out;
  }

  private void closeRaw() {
    RawOutcomes r = raw;
    raw = null;
    if (r != null) {
      try {
        r.close();
      } catch (IOException e) {
        LOG.error("raw outcomes: close failed: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    closeRaw();
  }
}
