package io.kreplay.transforms.replay;

import java.io.IOException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;

/**
 * Paces every shard against one shared clock: emits each request, keyed by its shard, up to
 * {@code lead} before it is due, and never blocks a runner thread to wait for it.
 *
 * <p>One restriction per shard ({@code [0, requests)} of that shard). When the next request is
 * not yet within the lead window, the DoFn returns {@code resume().withResumeDelay(...)}, which
 * frees the thread for other shards; a DoFn that slept would serialise the shards that share a
 * worker slot (measured in DESIGN.md §2). Pacing is therefore only as fine as the runner's
 * resume scheduling; the executor downstream times each send to the microsecond.
 *
 * <p>Unbounded per element on purpose: Flink and Dataflow then run streaming, where resumption
 * does not turn into a blocking sleep.
 */
public final class PaceShards
    extends PTransform<PCollection<ShardPlan>, PCollection<KV<Integer, TimedRequest>>> {
  private final ReplayClock clock;

  private PaceShards(ReplayClock clock) {
    this.clock = clock;
  }

  public static PaceShards on(ReplayClock clock) {
    return new PaceShards(clock);
  }

  @Override
  public PCollection<KV<Integer, TimedRequest>> expand(PCollection<ShardPlan> shards) {
    return shards
        .apply("PaceShard", ParDo.of(new PaceFn(clock)))
        .setCoder(KvCoder.of(VarIntCoder.of(), TimedRequest.Coder.of()));
  }

  @DoFn.UnboundedPerElement
  static final class PaceFn extends DoFn<ShardPlan, KV<Integer, TimedRequest>> {
    private final ReplayClock clock;
    private final Counter paced = Metrics.counter(PaceShards.class, "requestsPaced");
    /** Invocations of the pacer: a runner that ignored its resume delays would show it here. */
    private final Counter calls = Metrics.counter(PaceShards.class, "pacerCalls");
    /** How far ahead of its due time each request was emitted (µs; negative = late). */
    private final Distribution headroom = Metrics.distribution(PaceShards.class, "emitHeadroomMicros");

    private transient ShardCursors cursors;

    PaceFn(ReplayClock clock) {
      this.clock = clock;
    }

    @Setup
    public void setup() {
      cursors = new ShardCursors();
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element ShardPlan plan) {
      return new OffsetRange(0, plan.totalRequests());
    }

    @GetInitialWatermarkEstimatorState
    public Instant initialWatermark(@Timestamp Instant elementTimestamp) {
      return elementTimestamp;
    }

    @NewWatermarkEstimator
    public WatermarkEstimators.MonotonicallyIncreasing watermarkEstimator(
        @WatermarkEstimatorState Instant state) {
      return new WatermarkEstimators.MonotonicallyIncreasing(state);
    }

    @ProcessElement
    public ProcessContinuation process(
        @Element ShardPlan plan,
        RestrictionTracker<OffsetRange, Long> tracker,
        OutputReceiver<KV<Integer, TimedRequest>> out)
        throws IOException {
      calls.inc();
      ShardCursor cursor = cursors.at(plan, tracker.currentRestriction().getFrom());
      ProcessContinuation wait =
          Pacing.run(
              cursor,
              tracker,
              clock,
              (request, due, now) -> {
                headroom.update(due - now);
                paced.inc();
                out.outputWithTimestamp(KV.of(plan.shard, new TimedRequest(request, due)), new Instant(due / 1000));
              });
      if (wait != null) {
        return wait;
      }
      // Exhausted: claiming past the end marks the restriction done.
      tracker.tryClaim(Long.MAX_VALUE);
      cursors.close(plan.shard);
      return ProcessContinuation.stop();
    }

    @Teardown
    public void teardown() throws IOException {
      if (cursors != null) {
        cursors.closeAll();
      }
    }
  }
}
