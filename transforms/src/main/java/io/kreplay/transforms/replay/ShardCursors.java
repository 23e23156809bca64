package io.kreplay.transforms.replay;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The open cursors of one DoFn instance, by shard. A restriction resumed by the same instance
 * continues with its cursor instead of reopening segments and skipping to its position.
 */
final class ShardCursors {
  private final Map<Integer, ShardCursor> open = new HashMap<>();

  /** A cursor of {@code plan} whose next request is the one at {@code index}. */
  ShardCursor at(ShardPlan plan, long index) throws IOException {
    ShardCursor c = open.get(plan.shard);
    if (c != null && c.index() == index) {
      return c;
    }
    close(plan.shard);
    c = ShardCursor.openAt(plan, index);
    open.put(plan.shard, c);
    return c;
  }

  void close(int shard) throws IOException {
    ShardCursor c = open.remove(shard);
    if (c != null) {
      c.close();
    }
  }

  void closeAll() throws IOException {
    for (ShardCursor c : open.values()) {
      c.close();
    }
    open.clear();
  }
}
