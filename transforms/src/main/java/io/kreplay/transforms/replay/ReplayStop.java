package io.kreplay.transforms.replay;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the replays of this JVM to stop early (SIGTERM, Ctrl-C, a heap near full): nothing more
 * is sent, what is not yet sent is counted as skipped, open calls are stopped, and each shard
 * still emits what it measured, with why it stopped, so the report is written and says so.
 * Keyed by run, so concurrent runs (tests) stay apart.
 */
public final class ReplayStop {
  /** A signal (SIGTERM, Ctrl-C) asked for the stop. */
  public static final String SIGNAL = "signal";
  /** {@link HeapGuard}: the heap stayed nearly full after a garbage collection. */
  public static final String HEAP = "heap";
  /** The replay's deadline had passed before a shard started (a runner that came up too late). */
  public static final String DEADLINE = "deadline";

  /** run → why it is stopping (the first reason given). */
  private static final Map<String, String> STOPPING = new ConcurrentHashMap<>();

  private ReplayStop() {}

  /** A stop asked for by a signal. */
  public static void request(String runId) {
    request(runId, SIGNAL);
  }

  /** Stops {@code runId}; true if this call stopped it (it was not stopping already). */
  public static boolean request(String runId, String reason) {
    return STOPPING.putIfAbsent(runId, reason) == null;
  }

  public static boolean requested(String runId) {
    return STOPPING.containsKey(runId);
  }

  /** Why {@code runId} is stopping; null if it is not. */
  public static String reason(String runId) {
    return STOPPING.get(runId);
  }

  /** Forgets a finished run. */
  public static void clear(String runId) {
    STOPPING.remove(runId);
  }
}
