package io.kreplay.transforms.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kreplay.transforms.model.ProfileSpec;
import io.kreplay.transforms.read.ProfileProblems;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** What one pass over one profile source found: counts, problems and the segments written. */
public final class ScanResult implements Serializable {
  private static final long serialVersionUID = 1L;

  @JsonProperty public int phase;
  /** The source as shown to users (URL credentials redacted). */
  @JsonProperty public String source;
  @JsonProperty public String description = "";
  @JsonProperty public ProfileSpec spec;
  /** Valid requests. */
  @JsonProperty public long requests;
  /** Request entries, valid or not. */
  @JsonProperty public long entries;
  /** kperf's duration: the last timestamp, in ms. */
  @JsonProperty public long durationMs;
  @JsonProperty public TreeMap<String, Long> verbs = new TreeMap<>();
  @JsonProperty public long[] perShard = new long[0];
  @JsonProperty public List<SegmentInfo> segments = new ArrayList<>();
  @JsonProperty public ProfileProblems problems = new ProfileProblems();
  /** The phases this source yields, in order (one, unless split or a multi-spec load profile). */
  @JsonProperty public List<Part> parts = new ArrayList<>();

  /** One phase of this source. */
  public static final class Part implements Serializable {
    private static final long serialVersionUID = 1L;
    @JsonProperty public int index;
    @JsonProperty public String name;
    @JsonProperty public long durationMs;
    @JsonProperty public long requests;
    @JsonProperty public long[] perShard = new long[0];
    @JsonProperty public TreeMap<String, Long> verbs = new TreeMap<>();
    @JsonProperty public ProfileSpec spec;
    @JsonProperty public io.kreplay.transforms.model.LoadSpec load;
  }
}
