package io.kreplay.transforms.plan;

import io.kreplay.transforms.partition.Partitioner;
import io.kreplay.transforms.read.ProfileStreams;
import io.kreplay.transforms.read.ReadLimits;
import java.io.Serializable;

/** Everything a scan of a profile needs to know, resolved once by the command. */
public final class PlanConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int shards;
  public final Partitioner partitioner;
  public final long windowMs;
  /** Where segments go; null to validate without writing anything. */
  public final String planDir;

  public final ReadLimits limits;
  /** Load-profile expansion (seed, arrivals) and replay-profile phase marks (--phases). */
  public ProfileStreams.Options streams = new ProfileStreams.Options();
  /** Pause between the phases of consecutive profile sources (--phaseGapSeconds). */
  public long phaseGapMs;

  public PlanConfig(int shards, Partitioner partitioner, long windowMs, String planDir, ReadLimits limits) {
    if (shards <= 0) {
      throw new IllegalArgumentException("shards must be > 0, got " + shards);
    }
    if (windowMs <= 0) {
      throw new IllegalArgumentException("window must be > 0 ms, got " + windowMs);
    }
    this.shards = shards;
    this.partitioner = partitioner;
    this.windowMs = windowMs;
    this.planDir = planDir;
    this.limits = limits;
  }
}
