package io.kreplay.transforms.replay;

import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.MeasureSettings;
import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

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
  /** --ordering=strict: a request waits for its object's previous request to be answered. */
  public final boolean strictOrdering;
  /** Load-profile phases' own settings by phase index; phases not here use the ones above. */
  public final Map<Integer, PhaseSettings> phases;
  /** Stop early when the heap is still this full after a GC ({@link HeapGuard}); 0: never. */
  public final double heapStopFraction;
  public static final double DEFAULT_HEAP_STOP_FRACTION = 0.9;

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
        deadlineEpochMicros, flushMillis, maxQpsPerShard, MeasureSettings.defaults(), false, new HashMap<>(),
        DEFAULT_HEAP_STOP_FRACTION);
  }

  private ReplaySettings(
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
      MeasureSettings measure,
      boolean strictOrdering,
      HashMap<Integer, PhaseSettings> phases,
      double heapStopFraction) {
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
    this.measure = measure;
    this.strictOrdering = strictOrdering;
    this.phases = Collections.unmodifiableMap(phases);
    this.heapStopFraction = heapStopFraction;
  }

  /** The same settings with these measurement settings. */
  public ReplaySettings withMeasure(MeasureSettings value) {
    return new ReplaySettings(runId, target, protobuf, maxInFlightPerShard, requestTimeoutMillis, startEpochMicros,
        endEpochMicros, deadlineEpochMicros, flushMillis, maxQpsPerShard, value, strictOrdering, new HashMap<>(phases), heapStopFraction);
  }

  /** The same settings with --ordering=strict on or off. */
  public ReplaySettings withStrictOrdering(boolean value) {
    return new ReplaySettings(runId, target, protobuf, maxInFlightPerShard, requestTimeoutMillis, startEpochMicros,
        endEpochMicros, deadlineEpochMicros, flushMillis, maxQpsPerShard, measure, value, new HashMap<>(phases), heapStopFraction);
  }

  /** The same settings with these per-phase settings (load-profile phases). */
  public ReplaySettings withPhases(Map<Integer, PhaseSettings> value) {
    return new ReplaySettings(runId, target, protobuf, maxInFlightPerShard, requestTimeoutMillis, startEpochMicros,
        endEpochMicros, deadlineEpochMicros, flushMillis, maxQpsPerShard, measure, strictOrdering, new HashMap<>(value), heapStopFraction);
  }

  /** The same settings with this --heapStopFraction (0: no heap guard). */
  public ReplaySettings withHeapStopFraction(double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("heap stop fraction must be in [0, 1], got " + value);
    }
    return new ReplaySettings(runId, target, protobuf, maxInFlightPerShard, requestTimeoutMillis, startEpochMicros,
        endEpochMicros, deadlineEpochMicros, flushMillis, maxQpsPerShard, measure, strictOrdering,
        new HashMap<>(phases), value);
  }
}
