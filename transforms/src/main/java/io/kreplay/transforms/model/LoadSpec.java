package io.kreplay.transforms.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.TreeMap;

/**
 * The settings of one spec (= one phase) of a kperf load profile, as the manifest records them
 * and the replay applies them per phase. kperf's field names and meanings; {@code arrivals},
 * {@code seed} and {@code shares} say how the phase was expanded into requests.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class LoadSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Requests per second (open model: arrivals at this rate). */
  @JsonProperty public double rate;
  /** kperf's total: 0 when unset. */
  @JsonProperty public long total;
  /** kperf's duration in seconds: 0 when unset. */
  @JsonProperty public long duration;
  @JsonProperty public int conns;
  /** kperf's client count: the cap on requests in flight for the whole phase. */
  @JsonProperty public int client;
  @JsonProperty public String contentType = "json";
  @JsonProperty public boolean disableHTTP2;
  /** Retries of a 429 carrying Retry-After; 0 or less: none. */
  @JsonProperty public int maxRetries;
  /** even or poisson. */
  @JsonProperty public String arrivals;
  @JsonProperty public long seed;
  /** Shares per request kind (staleList, put, ...), summed over the spec's requests. */
  @JsonProperty public TreeMap<String, Long> shares = new TreeMap<>();

  /** How long the phase lasts: duration, or total / rate, whichever ends it first. */
  public long phaseDurationMs() {
    long byTotal = total > 0 && rate > 0 ? (long) Math.ceil(total * 1000.0 / rate) : Long.MAX_VALUE;
    long byDuration = duration > 0 ? duration * 1000 : Long.MAX_VALUE;
    long d = Math.min(byTotal, byDuration);
    return d == Long.MAX_VALUE ? 0 : d;
  }
}
