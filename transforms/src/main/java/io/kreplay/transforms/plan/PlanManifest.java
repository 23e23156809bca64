package io.kreplay.transforms.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kreplay.transforms.model.ProfileSpec;
import io.kreplay.transforms.read.ProfileProblems;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A plan's table of contents ({@code manifest.json}), and the summary {@code validate} prints.
 * Phases are, in the order given, each profile source, or its named time ranges (--phases, a
 * header's phases:), or a load profile's specs; back to back: a phase starts when the one before
 * it ends (a replay phase when its last request is due, a load phase after its duration), plus
 * --phaseGapSeconds between sources.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class PlanManifest implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int FORMAT_VERSION = 1;

  /** One profile source. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Phase implements Serializable {
    private static final long serialVersionUID = 1L;
    @JsonProperty public int index;
    @JsonProperty public String name;
    @JsonProperty public String source;
    @JsonProperty public String description;
    /** When this phase starts, relative to the replay's start. */
    @JsonProperty public long offsetMs;
    @JsonProperty public long durationMs;
    @JsonProperty public long requests;
    @JsonProperty public long[] perShard;
    @JsonProperty public TreeMap<String, Long> verbs;
    @JsonProperty public ProfileSpec spec;
    /** A load-profile phase's settings (rate, total, duration, conns, client, ...); null for replay. */
    @JsonProperty public io.kreplay.transforms.model.LoadSpec load;
  }

  @JsonProperty public int formatVersion = FORMAT_VERSION;
  @JsonProperty public String segmentFormat = SegmentFormat.MAGIC_TEXT;
  @JsonProperty public int shards;
  @JsonProperty public String partitioner;
  @JsonProperty public long windowMs;
  @JsonProperty public long requests;
  @JsonProperty public long durationMs;
  @JsonProperty public TreeMap<String, Long> verbs = new TreeMap<>();
  @JsonProperty public long[] perShard;
  /** (max − min) / mean of {@link #perShard}; 0 for a perfectly even split. */
  @JsonProperty public double imbalance;
  @JsonProperty public List<Phase> phases = new ArrayList<>();
  @JsonProperty public List<SegmentInfo> segments = new ArrayList<>();
  @JsonProperty public ProfileProblems problems = new ProfileProblems();

  /** Builds the manifest from the scans of all sources, in phase order. */
  public static PlanManifest of(Iterable<ScanResult> scans, PlanConfig config) {
    List<ScanResult> sorted = new ArrayList<>();
    scans.forEach(sorted::add);
    sorted.sort(Comparator.comparingInt(s -> s.phase));
    PlanManifest m = new PlanManifest();
    m.shards = config.shards;
    m.partitioner = config.partitioner.name().toLowerCase(java.util.Locale.ROOT);
    m.windowMs = config.windowMs;
    m.perShard = new long[config.shards];
    long offset = 0;
    for (ScanResult s : sorted) {
      if (s != sorted.get(0)) {
        offset += config.phaseGapMs;
      }
      for (ScanResult.Part part : s.parts) {
        Phase p = new Phase();
        p.index = part.index;
        p.name = part.name;
        p.source = s.source;
        p.description = s.description;
        p.offsetMs = offset;
        p.durationMs = part.durationMs;
        p.requests = part.requests;
        p.perShard = part.perShard;
        p.verbs = part.verbs;
        p.spec = part.spec;
        p.load = part.load;
        m.phases.add(p);
        offset += part.durationMs;
      }
      m.requests += s.requests;
      for (int i = 0; i < s.perShard.length; i++) {
        m.perShard[i] += s.perShard[i];
      }
      s.verbs.forEach((k, v) -> m.verbs.merge(k, v, Long::sum));
      m.segments.addAll(s.segments);
      m.problems.addAll(s.problems);
    }
    m.durationMs = offset;
    m.imbalance = imbalance(m.perShard);
    m.segments.sort(
        Comparator.<SegmentInfo>comparingInt(x -> x.phase)
            .thenComparingInt(x -> x.shard)
            .thenComparingLong(x -> x.window));
    return m;
  }

  /** (max − min) / mean, kperf's imbalance as a ratio rather than a percentage. */
  public static double imbalance(long[] counts) {
    if (counts.length == 0) {
      return 0;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum = 0;
    for (long c : counts) {
      min = Math.min(min, c);
      max = Math.max(max, c);
      sum += c;
    }
    return sum == 0 ? 0 : (max - min) / ((double) sum / counts.length);
  }

  /** "samples/pod-lifecycle.yaml.gz" becomes "pod-lifecycle". */
  static String phaseName(String source) {
    return io.kreplay.transforms.read.PhaseNames.of(source);
  }
}
