package io.kreplay.transforms.replay;

import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress line of the replays running in this JVM, every few seconds: elapsed of total
 * time, requests sent and their rate, in flight, send lag p99 over the interval, errors. Each
 * worker prints its own; the report has the totals.
 */
final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger("io.kreplay.progress");
  static final long PERIOD_SECONDS = 5;

  private static final AtomicLong SENT = new AtomicLong();
  private static final AtomicLong FAILED = new AtomicLong();
  private static final Recorder LAG_MICROS = new Recorder(3);
  private static ScheduledExecutorService ticker;
  private static long lastSent;

  private Progress() {}

  static void sent(long lagMicros) {
    SENT.incrementAndGet();
    LAG_MICROS.recordValue(Math.max(0, lagMicros));
  }

  static void failed() {
    FAILED.incrementAndGet();
  }

  /** Starts the line for a replay, once per JVM; {@code inFlight} sums the live shards. */
  static synchronized void start(long startEpochMicros, long endEpochMicros, LongSupplier inFlight) {
    if (ticker != null) {
      return;
    }
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("kreplay-progress").setDaemon(true).build());
    ticker.scheduleAtFixedRate(
        () -> print(startEpochMicros, endEpochMicros, inFlight), PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  /** Stops the line when the last shard of this JVM is done. */
  static synchronized void stop() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
  }

  private static void print(long start, long end, LongSupplier inFlight) {
    long now = ReplayClock.nowEpochMicros();
    if (now < start) {
      return;
    }
    long sent = SENT.get();
    double rate = (sent - lastSent) / (double) PERIOD_SECONDS;
    lastSent = sent;
    Histogram lag = LAG_MICROS.getIntervalHistogram();
    LOG.info(
        String.format(
            Locale.ROOT,
            "%5.0fs / %.0fs  sent %d (%.1f/s)  in flight %d  lag p99 %.1fms  errors %d",
            (now - start) / 1e6,
            (end - start) / 1e6,
            sent,
            rate,
            inFlight.getAsLong(),
            lag.getTotalCount() == 0 ? 0 : lag.getValueAtPercentile(99) / 1000.0,
            FAILED.get()));
  }
}
