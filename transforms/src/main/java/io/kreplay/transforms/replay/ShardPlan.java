package io.kreplay.transforms.replay;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kreplay.transforms.plan.PlanManifest;
import io.kreplay.transforms.plan.SegmentInfo;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one shard replays: its segments in replay order (phase, then window) with each phase's
 * offset from the replay's start. One element per shard is one restriction for the pacer.
 */
public final class ShardPlan implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One segment of this shard and where its phase starts. */
  public static final class Segment implements Serializable {
    private static final long serialVersionUID = 1L;
    @JsonProperty public String path;
    @JsonProperty public int phase;
    @JsonProperty public long phaseOffsetMs;
    @JsonProperty public long requests;
  }

  @JsonProperty public int shard;
  @JsonProperty public String planDir;
  @JsonProperty public List<Segment> segments = new ArrayList<>();

  public long totalRequests() {
    long n = 0;
    for (Segment s : segments) {
      n += s.requests;
    }
    return n;
  }

  /** Splits a manifest into one plan per shard; shards with no request get an empty plan. */
  public static List<ShardPlan> fromManifest(PlanManifest manifest, String planDir) {
    Map<Integer, Long> phaseOffset = new TreeMap<>();
    for (PlanManifest.Phase p : manifest.phases) {
      phaseOffset.put(p.index, p.offsetMs);
    }
    List<ShardPlan> plans = new ArrayList<>();
    for (int s = 0; s < manifest.shards; s++) {
      ShardPlan plan = new ShardPlan();
      plan.shard = s;
      plan.planDir = planDir;
      plans.add(plan);
    }
    List<SegmentInfo> ordered = new ArrayList<>(manifest.segments);
    ordered.sort(Comparator.<SegmentInfo>comparingInt(x -> x.phase).thenComparingLong(x -> x.window));
    for (SegmentInfo info : ordered) {
      Segment seg = new Segment();
      seg.path = info.path;
      seg.phase = info.phase;
      seg.phaseOffsetMs = phaseOffset.getOrDefault(info.phase, 0L);
      seg.requests = info.requests;
      plans.get(info.shard).segments.add(seg);
    }
    return plans;
  }
}
