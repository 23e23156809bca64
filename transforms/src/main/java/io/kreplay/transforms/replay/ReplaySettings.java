package io.kreplay.transforms.replay;

import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.MeasureSettings;
import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How shards replay: target, concurrency, timeouts and the deadline. Resolved by the command.
 *
 * <p>The constructor takes what every replay has; the rest starts at its default and is set by
 * a {@code with...} method, which returns a changed copy. Those fields are not final only so
 * that a wither can set one field of a copy (no telescoping constructor); nothing else writes
 * them, and a settings object is complete before it is shared.
 */
public final class ReplaySettings implements Serializable, Cloneable {
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
  /** How often each shard hands on what it has measured to the run's merge. */
  public final long flushMillis;
  /** This shard's share of --maxQps; 0 for no cap. */
  public final double maxQpsPerShard;

  // ---- set by the withers ----
  /** Timeline, URL cap and raw outcomes of the shards' measurements. */
  public MeasureSettings measure = MeasureSettings.defaults();
  /** --ordering=strict: a request waits for its object's previous request to be answered. */
  public boolean strictOrdering;
  /** Load-profile phases' own settings by phase index; phases not here use the ones above. */
  public Map<Integer, PhaseSettings> phases = Collections.emptyMap();
  /** Per shard: kperf's connsPerRunner (0: not bounded). */
  public int connsPerShard;
  /** Requests of the JVM's sender warm-up before the shared start ({@link SenderWarmUp}); 0: none. */
  public int warmUpRequests = SenderWarmUp.MAX_REQUESTS;
  /** Stop early when the heap is still this full after a GC ({@link HeapGuard}); 0: never. */
  public double heapStopFraction = DEFAULT_HEAP_STOP_FRACTION;

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

  /** A copy of these settings with {@code change} applied to it. */
  private ReplaySettings with(Consumer<ReplaySettings> change) {
    ReplaySettings s;
    try {
      s = (ReplaySettings) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
    change.accept(s);
    return s;
  }

  /** The same settings with these measurement settings. */
  public ReplaySettings withMeasure(MeasureSettings value) {
    return with(s -> s.measure = value);
  }

  /** The same settings with --ordering=strict on or off. */
  public ReplaySettings withStrictOrdering(boolean value) {
    return with(s -> s.strictOrdering = value);
  }

  /** The same settings with these per-phase settings (load-profile phases). */
  public ReplaySettings withPhases(Map<Integer, PhaseSettings> value) {
    return with(s -> s.phases = Collections.unmodifiableMap(new HashMap<>(value)));
  }

  /** The same settings with this many connections per shard (0: not bounded). */
  public ReplaySettings withConns(int value) {
    return with(s -> s.connsPerShard = value);
  }

  /** The same settings with this many sender warm-up requests per JVM (0: no warm-up). */
  public ReplaySettings withWarmUpRequests(int value) {
    return with(s -> s.warmUpRequests = value);
  }

  /** The same settings with this --heapStopFraction (0: no heap guard). */
  public ReplaySettings withHeapStopFraction(double value) {
    return with(s -> s.heapStopFraction = value);
  }
}
