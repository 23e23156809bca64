package io.kreplay.transforms.replay;

import java.io.Serializable;

/**
 * A load-profile phase's own settings, applied by each shard while it sends that phase's
 * requests: kperf's {@code client} (as this shard's in-flight cap), {@code conns} (this shard's
 * connections), {@code contentType}, {@code disableHTTP2} and {@code maxRetries}.
 */
public final class PhaseSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  public final boolean protobuf;
  public final int maxInFlightPerShard;
  public final boolean disableHttp2;
  /** 429s with Retry-After are retried this many times at most (0: never). */
  public final int maxRetries;
  /** Connections per shard (0: not bounded). */
  public final int connsPerShard;

  public PhaseSettings(boolean protobuf, int maxInFlightPerShard, boolean disableHttp2, int maxRetries) {
    this(protobuf, maxInFlightPerShard, disableHttp2, maxRetries, 0);
  }

  public PhaseSettings(
      boolean protobuf, int maxInFlightPerShard, boolean disableHttp2, int maxRetries, int connsPerShard) {
    this.connsPerShard = connsPerShard;
    this.protobuf = protobuf;
    this.maxInFlightPerShard = maxInFlightPerShard;
    this.disableHttp2 = disableHttp2;
    this.maxRetries = maxRetries;
  }

  /**
   * The settings of a plan's load-profile phases by phase index: kperf's client split across
   * the shards (at least one each; {@code maxInFlight}, when given, overrides it), contentType,
   * disableHTTP2 and maxRetries. Replay-profile phases are not in it.
   */
  public static java.util.Map<Integer, PhaseSettings> ofLoadPhases(
      io.kreplay.transforms.plan.PlanManifest manifest, Integer maxInFlight) {
    return ofLoadPhases(manifest, maxInFlight, null, null);
  }

  /** As above; {@code disableHttp2}, when given (kreplay's option), overrides every phase's. */
  public static java.util.Map<Integer, PhaseSettings> ofLoadPhases(
      io.kreplay.transforms.plan.PlanManifest manifest, Integer maxInFlight, Boolean disableHttp2) {
    return ofLoadPhases(manifest, maxInFlight, disableHttp2, null);
  }

  /**
   * As above; {@code disableHttp2} and {@code conns} (per shard), when given (kreplay's options),
   * override every phase's. A phase's {@code conns} is split across the shards like {@code client}.
   */
  public static java.util.Map<Integer, PhaseSettings> ofLoadPhases(
      io.kreplay.transforms.plan.PlanManifest manifest, Integer maxInFlight, Boolean disableHttp2, Integer conns) {
    java.util.Map<Integer, PhaseSettings> out = new java.util.HashMap<>();
    for (io.kreplay.transforms.plan.PlanManifest.Phase p : manifest.phases) {
      if (p.load == null) {
        continue;
      }
      int cap = maxInFlight != null ? maxInFlight : Math.max(1, (p.load.client + manifest.shards - 1) / manifest.shards);
      int connsPerShard = conns != null ? conns : Math.max(1, (p.load.conns + manifest.shards - 1) / manifest.shards);
      out.put(p.index, new PhaseSettings(
              "protobuf".equals(p.load.contentType), cap,
              disableHttp2 != null ? disableHttp2 : p.load.disableHTTP2, p.load.maxRetries, connsPerShard));
    }
    return out;
  }
}
