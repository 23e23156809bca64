package io.kreplay.transforms.replay;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks the replays of this JVM to stop early (SIGTERM, Ctrl-C): nothing more is sent, what is
 * not yet sent is counted as skipped, open calls are stopped, and each shard still emits what it
 * measured so the report is written. Keyed by run, so concurrent runs (tests) stay apart.
 */
public final class ReplayStop {
  private static final Set<String> STOPPING = ConcurrentHashMap.newKeySet();

  private ReplayStop() {}

  public static void request(String runId) {
    STOPPING.add(runId);
  }

  public static boolean requested(String runId) {
    return STOPPING.contains(runId);
  }

  /** Forgets a finished run. */
  public static void clear(String runId) {
    STOPPING.remove(runId);
  }
}
