package io.kreplay.transforms.replay;

import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.HistogramSetCoder;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays every shard against the API server and emits what it measured.
 *
 * <p>Like {@link PaceShards}, one restriction per shard, resumed with a delay rather than
 * slept on. Each request within the lead window is handed to the shard's {@link ShardRun},
 * whose timer fires it at its exact instant through fabric8, asynchronously. The restriction is
 * one longer than the shard: its last position is claimed only when every request sent has an
 * outcome (or the deadline has passed), so the shard stays alive, without holding a thread,
 * while responses are outstanding; its measurements are emitted every {@code flushMillis} and
 * at the end.
 */
public final class ReplayShards extends PTransform<PCollection<ShardPlan>, PCollection<HistogramSet>> {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayShards.class);
  /** After the deadline, how long stopped calls get to report before the shard gives up. */
  static final long STOP_GRACE_MICROS = 10_000_000;

  private final ReplayClock clock;
  private final ReplaySettings settings;

  private ReplayShards(ReplayClock clock, ReplaySettings settings) {
    this.clock = clock;
    this.settings = settings;
  }

  public static ReplayShards with(ReplayClock clock, ReplaySettings settings) {
    return new ReplayShards(clock, settings);
  }

  @Override
  public PCollection<HistogramSet> expand(PCollection<ShardPlan> shards) {
    return shards.apply("ReplayShard", ParDo.of(new ReplayFn(clock, settings))).setCoder(HistogramSetCoder.of());
  }

  @DoFn.UnboundedPerElement
  static final class ReplayFn extends DoFn<ShardPlan, HistogramSet> {
    private final ReplayClock clock;
    private final ReplaySettings settings;
    private final Counter scheduled = Metrics.counter(ReplayShards.class, "requestsScheduled");
    private transient ShardCursors cursors;
    private transient Map<Integer, Long> lastFlushMicros;

    ReplayFn(ReplayClock clock, ReplaySettings settings) {
      this.clock = clock;
      this.settings = settings;
    }

    @Setup
    public void setup() {
      cursors = new ShardCursors();
      lastFlushMicros = new HashMap<>();
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element ShardPlan plan) {
      // One past the last request: the "all outcomes are in" position.
      return new OffsetRange(0, plan.totalRequests() + 1);
    }

    @GetInitialWatermarkEstimatorState
    public Instant initialWatermark(@Timestamp Instant elementTimestamp) {
      return elementTimestamp;
    }

    @NewWatermarkEstimator
    public WatermarkEstimators.MonotonicallyIncreasing watermarkEstimator(@WatermarkEstimatorState Instant state) {
      return new WatermarkEstimators.MonotonicallyIncreasing(state);
    }

    @ProcessElement
    public ProcessContinuation process(
        @Element ShardPlan plan, RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<HistogramSet> out)
        throws IOException {
      ShardRun run = ShardRun.of(settings, plan.shard);
      long from = tracker.currentRestriction().getFrom();
      long last = plan.totalRequests();
      if (from < last && ReplayClock.nowEpochMicros() >= settings.deadlineEpochMicros
          && ReplayStop.request(settings.runId, ReplayStop.DEADLINE)) {
        // The runner came up (or got back to this shard) after the deadline: a request handed
        // to the sender now would only be skipped there, racing the shard's last flush.
        LOG.error("shard {}: the replay's deadline ({}) had passed when it got to request {} of {}; nothing more is "
                + "sent and the rest counts as skipped (run.stoppedBy: deadline). Start later: --warmupSeconds or "
                + "--startAt", plan.shard, java.time.Instant.ofEpochMilli(settings.deadlineEpochMicros / 1000), from,
            last);
      }
      if (from < last && ReplayStop.requested(settings.runId)) {
        skipRest(plan, from, run, tracker, ReplayStop.reason(settings.runId));
        from = last;
      }
      if (from < last) {
        ShardCursor cursor = cursors.at(plan, from);
        long before = cursor.index();
        ProcessContinuation wait =
            Pacing.run(cursor, tracker, clock, (request, due, now) -> {
              scheduled.inc();
              run.schedule(request, due);
            });
        if (cursor.index() > before) {
          // Beam allows output only in a call that claimed something.
          flushIfDue(plan.shard, run, out, false);
        }
        if (wait != null) {
          return wait;
        }
        cursors.close(plan.shard);
      }
      // Every request is scheduled; wait, without a thread, for their outcomes. Nothing can be
      // emitted until the final position is claimed below.
      long now = ReplayClock.nowEpochMicros();
      if (!run.idle()) {
        if (now >= settings.deadlineEpochMicros || ReplayStop.requested(settings.runId)) {
          run.stopAll();
        } else if (now >= settings.endEpochMicros) {
          run.closeWatchesIfOnlyTheyRemain(); // all watches are closed at the end of the replay
        }
        if (now < settings.deadlineEpochMicros + STOP_GRACE_MICROS) {
          return ProcessContinuation.resume().withResumeDelay(Duration.millis(50));
        }
        int abandoned = run.abandonUnfinished();
        LOG.error("shard {}: {} requests still without an outcome after the deadline; counted as failed ({})",
            plan.shard, abandoned, ShardRun.NO_OUTCOME);
      }
      if (!tracker.tryClaim(last)) {
        return ProcessContinuation.stop();
      }
      flushIfDue(plan.shard, run, out, true);
      run.close();
      return ProcessContinuation.stop();
    }

    /** Stopping: every request not yet handed on is counted as skipped, none is sent. */
    private void skipRest(
        ShardPlan plan, long from, ShardRun run, RestrictionTracker<OffsetRange, Long> tracker, String reason)
        throws IOException {
      ShardCursor cursor = cursors.at(plan, from);
      for (long i = from; cursor.peek() != null; i++) {
        if (!tracker.tryClaim(i)) {
          break;
        }
        run.skip(cursor.peek(), clock.dueEpochMicros(cursor.peekReplayMs()), "stopped: " + reason);
        cursor.advance();
      }
      cursors.close(plan.shard);
    }

    private void flushIfDue(int shard, ShardRun run, OutputReceiver<HistogramSet> out, boolean force) {
      long now = ReplayClock.nowEpochMicros();
      Long last = lastFlushMicros.get(shard);
      if (!force && last != null && now - last < settings.flushMillis * 1000) {
        return;
      }
      lastFlushMicros.put(shard, now);
      HistogramSet measured = run.drain();
      String stoppedBy = ReplayStop.reason(settings.runId);
      if (force && stoppedBy != null) {
        // The report says the run was cut short, and why, even if this shard measured nothing.
        measured = (measured != null ? measured : settings.measure.newHistogramSet()).stoppedBy(stoppedBy);
      }
      if (measured != null) {
        out.outputWithTimestamp(measured, new Instant(now / 1000));
      }
    }

    @Teardown
    public void teardown() throws IOException {
      if (cursors != null) {
        cursors.closeAll();
      }
    }
  }
}
