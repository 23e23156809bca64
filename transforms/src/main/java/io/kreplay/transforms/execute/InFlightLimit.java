package io.kreplay.transforms.execute;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cap on calls in flight that never blocks: a call over the cap waits in a queue and starts
 * when an earlier one ends (it is then late, and its lag shows it — it is not lost). With
 * HTTP/1.1 each call in flight holds one connection, so with kperf's conns this cap is at most
 * conns and calls beyond the connections wait here, not in the HTTP client's pool.
 */
final class InFlightLimit {
  private final int max; // <= 0: no cap
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();
  /**
   * Set while this thread drains: a start that ends at once (a call stopped while it waited)
   * releases its slot inside {@link #drain}, and draining again there would nest one frame
   * per waiting call (a StackOverflowError with thousands waiting at the deadline). The outer
   * loop sees the freed slot instead.
   */
  private final ThreadLocal<Boolean> draining = ThreadLocal.withInitial(() -> false);

  InFlightLimit(int max) {
    this.max = max;
  }

  /** Runs {@code start} now if under the cap, else when a slot frees. */
  void submit(Runnable start) {
    if (max <= 0) {
      inFlight.incrementAndGet();
      start.run();
      return;
    }
    waiting.add(start);
    drain();
  }

  /**
   * Takes a slot only if one is free now and at least {@code spare} more stay free (never
   * queues); true if it took one.
   */
  boolean tryAcquire(int spare) {
    if (max <= 0) {
      return false;
    }
    for (int n = inFlight.get(); n + spare < max && waiting.isEmpty(); n = inFlight.get()) {
      if (inFlight.compareAndSet(n, n + 1)) {
        return true;
      }
    }
    return false;
  }

  /** One call ended. */
  void release() {
    inFlight.decrementAndGet();
    if (max > 0) {
      drain();
    }
  }

  int max() {
    return Math.max(0, max);
  }

  int inFlight() {
    return inFlight.get();
  }

  int waiting() {
    return waiting.size();
  }

  private void drain() {
    if (draining.get()) {
      return;
    }
    draining.set(true);
    try {
      drainLoop();
    } finally {
      draining.set(false);
    }
  }

  private void drainLoop() {
    while (!waiting.isEmpty()) {
      int n = inFlight.get();
      if (n >= max) {
        return;
      }
      if (!inFlight.compareAndSet(n, n + 1)) {
        continue;
      }
      Runnable next = waiting.poll();
      if (next == null) {
        inFlight.decrementAndGet();
        continue;
      }
      next.run();
    }
  }
}
