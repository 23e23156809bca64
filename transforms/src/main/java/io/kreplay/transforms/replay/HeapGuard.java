package io.kreplay.transforms.replay;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a replay early, through {@link ReplayStop}, when this JVM's heap is still nearly full
 * after a garbage collection ({@code --heapStopFraction} of the maximum heap): a run heading
 * for an OutOfMemoryError ends with nothing more sent, the rest counted as skipped, and the
 * report written and marked {@code run.stoppedBy: "heap"}, instead of dying with no report.
 *
 * <p>It listens to the collectors' notifications (the JVM's own "after GC" figures, no
 * polling) and sums the heap pools' usage after each collection: what is live, plus old-gen
 * garbage a young collection does not reach, which is why the default fraction is high. A
 * deliberate per-JVM resource: the listener is installed once; runs arm and disarm it.
 */
public final class HeapGuard {
  private static final Logger LOG = LoggerFactory.getLogger(HeapGuard.class);
  /** Armed runs → their fraction of the maximum heap. */
  private static final Map<String, Double> ARMED = new ConcurrentHashMap<>();
  private static boolean listening;

  private HeapGuard() {}

  /** Watches the heap for {@code runId}; {@code fraction <= 0} leaves it unwatched. */
  public static synchronized void arm(String runId, double fraction) {
    if (!(fraction > 0)) {
      return;
    }
    ARMED.put(runId, fraction);
    if (!listening) {
      Set<String> heapPools =
          ManagementFactory.getMemoryPoolMXBeans().stream()
              .filter(p -> p.getType() == MemoryType.HEAP)
              .map(MemoryPoolMXBean::getName)
              .collect(Collectors.toSet());
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter) {
          ((NotificationEmitter) gc).addNotificationListener((n, x) -> afterGc(n, heapPools), null, null);
          listening = true;
        }
      }
      if (!listening) {
        LOG.warn("this JVM's collectors send no notifications: --heapStopFraction has no effect here");
      }
    }
  }

  public static void disarm(String runId) {
    ARMED.remove(runId);
  }

  private static void afterGc(Notification n, Set<String> heapPools) {
    if (ARMED.isEmpty() || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    check(used, Runtime.getRuntime().maxMemory(), info.getGcName());
  }

  /** Stops every armed run whose fraction of {@code maxHeap} {@code usedAfterGc} reaches. */
  static void check(long usedAfterGc, long maxHeap, String gcName) {
    if (maxHeap <= 0 || maxHeap == Long.MAX_VALUE) {
      return; // no bound to be near
    }
    ARMED.forEach((run, fraction) -> {
      if (usedAfterGc >= fraction * maxHeap && ReplayStop.request(run, ReplayStop.HEAP)) {
        LOG.error(
            "{}: heap still {} MiB of {} MiB after {} (>= --heapStopFraction={}): stopping the replay early; "
                + "nothing more is sent, the rest counts as skipped, the report is written (run.stoppedBy: heap)",
            run, usedAfterGc >> 20, maxHeap >> 20, gcName, fraction);
      }
    });
  }
}
