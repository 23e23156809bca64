package io.kreplay.transforms.replay;

import io.kreplay.transforms.measure.CombineHistograms;
import io.kreplay.transforms.measure.HistogramSet;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Replays every shard ({@link ReplayShards}) and merges what all of them measured into one
 * {@link HistogramSet} once the last shard is done: the measurements of the whole run, in one
 * global window that fires when the watermark passes its end (the replay stage is unbounded).
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
        .apply(
            "AllOfTheRun",
            Window.<HistogramSet>into(new GlobalWindows())
                .triggering(AfterWatermark.pastEndOfWindow())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("CombineHistograms", CombineHistograms.globally());
  }
}
