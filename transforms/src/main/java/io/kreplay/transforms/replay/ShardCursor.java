package io.kreplay.transforms.replay;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.plan.SegmentReader;
import java.io.Closeable;
import java.io.IOException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Reads one shard's requests in replay order across its segments, tracking the index of the
 * next request so the pacer can resume a restriction exactly where it stopped.
 */
final class ShardCursor implements Closeable {
  private final ShardPlan plan;
  private final ResourceId planDir;
  private int segment = -1;
  private SegmentReader reader;
  private ReplayRequest next;
  private long nextPhaseOffsetMs;
  private long index;

  private ShardCursor(ShardPlan plan) {
    this.plan = plan;
    this.planDir = FileSystems.matchNewResource(plan.planDir, true);
  }

  /** A cursor whose next request is the one at {@code index}. */
  static ShardCursor openAt(ShardPlan plan, long index) throws IOException {
    ShardCursor c = new ShardCursor(plan);
    long skip = index;
    int seg = 0;
    while (seg < plan.segments.size() && skip >= plan.segments.get(seg).requests) {
      skip -= plan.segments.get(seg).requests;
      seg++;
    }
    c.segment = seg - 1;
    c.index = index - skip;
    c.advanceSegment();
    while (skip-- > 0 && c.next != null) {
      c.advance();
    }
    return c;
  }

  /** The next request, or null when the shard is exhausted. */
  ReplayRequest peek() {
    return next;
  }

  /** Replay-relative time of the next request: its phase's offset plus its timestamp. */
  long peekReplayMs() {
    return nextPhaseOffsetMs + next.timestampMs();
  }

  long index() {
    return index;
  }

  void advance() throws IOException {
    index++;
    next = reader.next();
    if (next == null) {
      advanceSegment();
    }
  }

  private void advanceSegment() throws IOException {
    next = null;
    while (next == null && segment + 1 < plan.segments.size()) {
      closeReader();
      segment++;
      ShardPlan.Segment s = plan.segments.get(segment);
      reader = SegmentReader.open(planDir, s.path, 0);
      nextPhaseOffsetMs = s.phaseOffsetMs;
      next = reader.next();
    }
  }

  private void closeReader() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  @Override
  public void close() throws IOException {
    closeReader();
  }
}
