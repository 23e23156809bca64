package io.kreplay.transforms.replay;

import io.kreplay.transforms.model.ReplayRequest;
import java.io.IOException;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn.ProcessContinuation;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.joda.time.Duration;

/**
 * The pacing loop shared by the splittable DoFns: hand on every request of the shard that is
 * within the lead window of its due time, claiming each, and when the next one is not yet due
 * say how long to wait. Never sleeps.
 */
final class Pacing {
  /** Emit at most this many requests per call so runners can commit output and checkpoint. */
  static final int MAX_PER_CALL = 2_000;

  interface Handler {
    void due(ReplayRequest request, long dueEpochMicros, long nowEpochMicros) throws IOException;
  }

  private Pacing() {}

  /**
   * Runs until the shard is exhausted (returns null, nothing claimed past the last request) or
   * until it must wait or yield (returns the continuation to give the runner).
   */
  static ProcessContinuation run(
      ShardCursor cursor, RestrictionTracker<OffsetRange, Long> tracker, ReplayClock clock, Handler handler)
      throws IOException {
    long i = cursor.index();
    for (int emitted = 0; cursor.peek() != null; emitted++) {
      long due = clock.dueEpochMicros(cursor.peekReplayMs());
      long now = ReplayClock.nowEpochMicros();
      long wait = due - clock.leadMicros() - now;
      if (wait > 0) {
        // Wake at most twice per lead window: whatever is due within the lead goes out in one
        // call, still at least lead/2 early. Waking per request (every few ms at high rates) kept
        // the DirectRunner's timer loop busy enough to starve the HTTP client of CPU.
        long delay = Math.max(wait, clock.leadMicros() / 2);
        return ProcessContinuation.resume().withResumeDelay(Duration.millis(Math.max(1, delay / 1000)));
      }
      if (emitted >= MAX_PER_CALL) {
        return ProcessContinuation.resume();
      }
      if (!tracker.tryClaim(i)) {
        return ProcessContinuation.stop();
      }
      handler.due(cursor.peek(), due, now);
      cursor.advance();
      i++;
    }
    return null;
  }
}
