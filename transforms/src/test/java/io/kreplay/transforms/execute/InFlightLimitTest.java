package io.kreplay.transforms.execute;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class InFlightLimitTest {
  /**
   * Thousands of calls waiting for a slot, each ending as soon as it starts (what stopping a
   * replay at its deadline does to calls that were still queued): all run, in order, and the
   * cap's count returns to zero, without nesting a frame per call.
   */
  @Test
  public void callsThatEndAsTheyStartDrainWithoutRecursion() {
    InFlightLimit limit = new InFlightLimit(4);
    for (int i = 0; i < 4; i++) {
      limit.submit(() -> {}); // four long calls hold every slot
    }
    List<Integer> ran = new ArrayList<>();
    int waiting = 200_000;
    for (int i = 0; i < waiting; i++) {
      int n = i;
      limit.submit(() -> {
        ran.add(n);
        limit.release(); // ended at once
      });
    }
    assertEquals(waiting, limit.waiting());
    for (int i = 0; i < 4; i++) {
      limit.release(); // the long calls end
    }
    assertEquals(waiting, ran.size());
    for (int i = 0; i < waiting; i++) {
      assertEquals(i, (int) ran.get(i));
    }
    assertEquals(0, limit.inFlight());
    assertEquals(0, limit.waiting());
  }

  @Test
  public void neverMoreInFlightThanTheCap() {
    InFlightLimit limit = new InFlightLimit(3);
    int[] maxSeen = {0};
    List<Runnable> open = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      limit.submit(() -> {
        maxSeen[0] = Math.max(maxSeen[0], limit.inFlight());
        open.add(limit::release);
      });
    }
    assertEquals(3, open.size());
    assertEquals(7, limit.waiting());
    while (!open.isEmpty()) {
      open.remove(0).run();
    }
    assertEquals(3, maxSeen[0]);
    assertEquals(0, limit.inFlight());
  }
}
