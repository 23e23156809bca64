package io.kreplay.transforms.replay;

import io.kreplay.transforms.measure.CombineHistograms;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.HistogramSetCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Replays every shard ({@link ReplayShards}) and merges what all of them measured into one
 * {@link HistogramSet} once the last shard is done: the measurements of the whole run, in the
 * global window, emitted when the watermark passes its end (the replay stage is unbounded).
 *
 * <p>The merge is a stateful DoFn with a combining state, not {@code Combine.globally}: the
 * DirectRunner does not lift combiners, so a Combine kept every flushed set in a bag until the
 * end and, adding each one, cloned the whole bag through the coder (quadratic: 60,000 requests
 * took ~140 s after the replay to merge). The combining state merges each set as it arrives,
 * one accumulator per run, on every runner.
 */
public final class ReplayAndMerge extends PTransform<PCollection<ShardPlan>, PCollection<HistogramSet>> {
  private final ReplayClock clock;
  private final ReplaySettings settings;

  private ReplayAndMerge(ReplayClock clock, ReplaySettings settings) {
    this.clock = clock;
    this.settings = settings;
  }

  public static ReplayAndMerge with(ReplayClock clock, ReplaySettings settings) {
    return new ReplayAndMerge(clock, settings);
  }

  @Override
  public PCollection<HistogramSet> expand(PCollection<ShardPlan> shards) {
    return shards
        .apply("Replay", ReplayShards.with(clock, settings))
        .apply("OneKey", WithKeys.<Integer, HistogramSet>of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), HistogramSetCoder.of()))
        .apply("CombineHistograms", ParDo.of(new MergeFn()))
        .setCoder(HistogramSetCoder.of());
  }

  /** Merges every set into one accumulator; emits it once the watermark has passed the end. */
  static final class MergeFn extends DoFn<KV<Integer, HistogramSet>, HistogramSet> {
    @StateId("merged")
    private final StateSpec<CombiningState<HistogramSet, HistogramSet, HistogramSet>> mergedSpec =
        StateSpecs.combining(HistogramSetCoder.of(), new CombineHistograms.MergeFn());

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void process(
        @Element KV<Integer, HistogramSet> set,
        BoundedWindow window,
        @StateId("merged") CombiningState<HistogramSet, HistogramSet, HistogramSet> merged,
        @TimerId("end") Timer end) {
      merged.add(set.getValue());
      end.set(window.maxTimestamp());
    }

    @OnTimer("end")
    public void onEnd(
        @StateId("merged") CombiningState<HistogramSet, HistogramSet, HistogramSet> merged,
        OutputReceiver<HistogramSet> out) {
      out.output(merged.read());
    }
  }
}
