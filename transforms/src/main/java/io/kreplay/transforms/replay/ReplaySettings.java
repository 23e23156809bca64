package io.kreplay.transforms.replay;

import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.MeasureSettings;
import java.io.Serializable;

/** How shards replay: target, concurrency, timeouts and the deadline. Resolved by the command. */
public final class ReplaySettings implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String runId;
  public final ConnectionSettings target;
  public final boolean protobuf;
  /** Per shard: kperf's clientsPerRunner. */
  public final int maxInFlightPerShard;
  public final long requestTimeoutMillis;
  /** The shared start and when the last request is due: for the progress line. */
  public final long startEpochMicros;
  public final long endEpochMicros;
  /** Replay end plus grace: whatever has not completed by then is stopped and counted. */
  public final long deadlineEpochMicros;
  /** How often each shard hands on what it has measured (the timeline's resolution). */
  public final long flushMillis;
  /** This shard's share of --maxQps; 0 for no cap. */
  public final double maxQpsPerShard;
  /** Timeline, URL cap and raw outcomes of the shards' measurements. */
  public final MeasureSettings measure;
  /** Load-profile phases' own settings by phase index; phases not here use the ones above. */
  public final java.util.HashMap<Integer, PhaseSettings> phases = new java.util.HashMap<>();

  public ReplaySettings(
      String runId,
      ConnectionSettings target,
      boolean protobuf,
      int maxInFlightPerShard,
      long requestTimeoutMillis,
      long startEpochMicros,
      long endEpochMicros,
      long deadlineEpochMicros,
      long flushMillis,
      double maxQpsPerShard) {
    this(runId, target, protobuf, maxInFlightPerShard, requestTimeoutMillis, startEpochMicros, endEpochMicros,
        deadlineEpochMicros, flushMillis, maxQpsPerShard, MeasureSettings.defaults());
  }

  public ReplaySettings(
      String runId,
      ConnectionSettings target,
      boolean protobuf,
      int maxInFlightPerShard,
      long requestTimeoutMillis,
      long startEpochMicros,
      long endEpochMicros,
      long deadlineEpochMicros,
      long flushMillis,
      double maxQpsPerShard,
      MeasureSettings measure) {
    this.measure = measure;
    this.runId = runId;
    this.target = target;
    this.protobuf = protobuf;
    this.maxInFlightPerShard = maxInFlightPerShard;
    this.requestTimeoutMillis = requestTimeoutMillis;
    this.startEpochMicros = startEpochMicros;
    this.endEpochMicros = endEpochMicros;
    this.deadlineEpochMicros = deadlineEpochMicros;
    this.flushMillis = flushMillis;
    this.maxQpsPerShard = maxQpsPerShard;
  }
}
