package io.kreplay.transforms.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/** One segment file of a plan: the requests of one (phase, shard, window), time-sorted. */
public final class SegmentInfo implements Serializable {
  private static final long serialVersionUID = 1L;

  @JsonProperty public int phase;
  @JsonProperty public int shard;
  /** Window index: timestamps in {@code [window * windowMs, (window + 1) * windowMs)}. */
  @JsonProperty public long window;
  /** Path relative to the plan directory. */
  @JsonProperty public String path;
  @JsonProperty public long requests;
  @JsonProperty public long bytes;
  @JsonProperty public long firstTimestampMs;
  @JsonProperty public long lastTimestampMs;
}
