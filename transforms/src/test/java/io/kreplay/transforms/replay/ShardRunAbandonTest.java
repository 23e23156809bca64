package io.kreplay.transforms.replay;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.Stats;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * The last resort after the deadline: requests still without an outcome are counted as failed,
 * once, so total = ok + failed + skipped holds even when a call never reports back; an outcome
 * arriving afterwards is not counted again.
 */
public class ShardRunAbandonTest {
  @Rule public final Timeout guard = Timeout.seconds(60);

  @Test
  public void requestsWithoutAnOutcomeAreCountedOnceAsFailed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger arrived = new AtomicInteger();
    ExecutorService threads = Executors.newCachedThreadPool();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/version")) {
        arrived.incrementAndGet();
        try {
          release.await(); // never answers while the test looks
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.setExecutor(threads);
    server.start();
    try {
      long start = ReplayClock.nowEpochMicros() + 300_000;
      ReplaySettings settings =
          new ReplaySettings("abandon-" + System.nanoTime(),
                  ConnectionSettings.masterUrl("http://127.0.0.1:" + server.getAddress().getPort()), false, 8, 30_000,
                  start, start, start + 30_000_000, 500, 0)
              .withWarmUpRequests(0);
      ShardRun run = ShardRun.of(settings, 0);
      try {
        for (int i = 0; i < 4; i++) {
          String path = "/api/v1/namespaces/ns/pods/p" + i;
          run.schedule(new ReplayRequest(0, i, 0, Verb.GET, "ns", "pods", "p" + i, path, "", ""), start);
        }
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (arrived.get() < 4 && System.nanoTime() < giveUp) {
          Thread.sleep(10);
        }
        assertEquals("all four are at the server, unanswered", 4, run.pending());

        assertEquals(4, run.abandonUnfinished());
        assertTrue("every request has an outcome", run.idle());
        assertEquals("counted once", 0, run.abandonUnfinished());
        Stats all = run.drain().rollUp(-1);
        assertEquals(4, all.total());
        assertEquals(4, all.failed());
        assertEquals(Long.valueOf(4), all.errors().get(ShardRun.NO_OUTCOME));

        run.stopAll(); // the calls end now (cancelled): their outcomes must not count again
        release.countDown();
        Thread.sleep(300);
        HistogramSet later = run.drain();
        assertEquals(0, later == null ? 0 : later.rollUp(-1).total());
        assertEquals(0, run.pending());
      } finally {
        run.close();
      }
    } finally {
      release.countDown();
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
