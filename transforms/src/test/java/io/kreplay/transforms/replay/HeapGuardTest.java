package io.kreplay.transforms.replay;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class HeapGuardTest {
  @Test
  public void stopsAnArmedRunOnceTheHeapAfterAGcReachesItsFraction() {
    String run = "heap-guard-" + System.nanoTime();
    String other = run + "-unarmed";
    try {
      HeapGuard.arm(run, 0.9);
      HeapGuard.check(890, 1000, "test GC");
      assertFalse("below the fraction", ReplayStop.requested(run));
      HeapGuard.check(900, 1000, "test GC");
      assertEquals(ReplayStop.HEAP, ReplayStop.reason(run));
      assertNull("a run that is not armed is left alone", ReplayStop.reason(other));
    } finally {
      HeapGuard.disarm(run);
      ReplayStop.clear(run);
    }
  }

  @Test
  public void aDisarmedOrOffGuardStopsNothing() {
    String run = "heap-guard-off-" + System.nanoTime();
    HeapGuard.arm(run, 0); // --heapStopFraction=0
    HeapGuard.check(1000, 1000, "test GC");
    assertFalse(ReplayStop.requested(run));
    HeapGuard.arm(run, 0.5);
    HeapGuard.disarm(run);
    HeapGuard.check(1000, 1000, "test GC");
    assertFalse(ReplayStop.requested(run));
  }

  @Test
  public void theFirstReasonWins() {
    String run = "stop-reason-" + System.nanoTime();
    try {
      assertTrue(ReplayStop.request(run, ReplayStop.HEAP));
      assertFalse(ReplayStop.request(run, ReplayStop.SIGNAL));
      assertEquals(ReplayStop.HEAP, ReplayStop.reason(run));
    } finally {
      ReplayStop.clear(run);
    }
  }
}
