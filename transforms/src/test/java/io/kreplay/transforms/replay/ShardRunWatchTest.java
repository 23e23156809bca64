package io.kreplay.transforms.replay;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.Stats;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * A WATCH in a shard's replay: it stays open while other requests are outstanding, is closed
 * as a success once only watches are left after the replay's end (not held to the deadline),
 * and its latency is time to headers, not to its close.
 */
public class ShardRunWatchTest {
  @Rule public final Timeout guard = Timeout.seconds(60);

  private static final long WATCH_LIST_BOOKMARK_MS = 300;
  private HttpServer server;
  /** Set when the watch's headers and first event have been flushed to the client. */
  private final java.util.concurrent.CountDownLatch watchStreaming = new java.util.concurrent.CountDownLatch(1);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @Before
  public void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      if (!"true".equals(queryValue(exchange.getRequestURI().getRawQuery(), "watch"))) {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
        return;
      }
      exchange.sendResponseHeaders(200, 0); // an open-ended watch stream: one event, then quiet
      OutputStream out = exchange.getResponseBody();
      try {
        out.write("{\"type\":\"ADDED\",\"object\":{}}\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        if ("true".equals(queryValue(exchange.getRequestURI().getRawQuery(), "sendInitialEvents"))) {
          Thread.sleep(WATCH_LIST_BOOKMARK_MS); // then the end of the initial events, and a live watch
          out.write(("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"2\","
              + "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        watchStreaming.countDown();
        while (true) {
          Thread.sleep(50);
          out.write(' '); // finds a closed client
          out.flush();
        }
      } catch (IOException | InterruptedException closed) {
        exchange.close();
      }
    });
    server.setExecutor(threads);
    server.start();
  }

  private static String queryValue(String query, String key) {
    if (query != null) {
      for (String kv : query.split("&")) {
        if (kv.startsWith(key + "=")) {
          return kv.substring(key.length() + 1);
        }
      }
    }
    return null;
  }

  @After
  public void stopServer() {
    server.stop(0);
    threads.shutdownNow();
  }

  @Test
  public void watchesAreClosedAtTheEndAsSuccessesWithLatencyToHeaders() throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    long start = ReplayClock.nowEpochMicros() + 1_500_000;
    long end = start + 100_000;
    long deadline = end + 60_000_000; // far: the watch must not be held until then
    ReplaySettings settings =
        new ReplaySettings("watch-" + System.nanoTime(), ConnectionSettings.masterUrl(url), false, 4, 10_000,
            start, end, deadline, 500, 0);
    ShardRun run = ShardRun.of(settings, 0);
    try {
      run.schedule(new ReplayRequest(0, 0, 0, Verb.WATCH, "ns", "pods", "", "/api/v1/namespaces/ns/pods", "", ""), start);
      run.schedule(new ReplayRequest(0, 1, 100, Verb.GET, "ns", "pods", "p", "/api/v1/namespaces/ns/pods/p", "", ""),
          end);
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (run.pending() > 1 && System.nanoTime() < giveUp) {
        Thread.sleep(10);
      }
      assertEquals("the GET is answered, the watch still open", 1, run.pending());
      assertTrue(watchStreaming.await(20, TimeUnit.SECONDS));
      Thread.sleep(1_000);
      assertFalse("a watch stays open until the replay ends it", run.idle());
      long closedAt = ReplayClock.nowEpochMicros();
      assertTrue(run.closeWatchesIfOnlyTheyRemain());
      while (!run.idle() && System.nanoTime() < giveUp) {
        Thread.sleep(10);
      }
      HistogramSet measured = run.drain();
      Stats all = measured.rollUp(-1);
      assertEquals(2, all.total());
      assertEquals("a watch closed by the replay is a success", 2, all.ok());
      Map<String, Stats> byUrl = measured.byUrl(0);
      Stats watch = byUrl.get("WATCH /api/v1/namespaces/ns/pods?watch=true");
      assertEquals(byUrl.keySet().toString(), 1, watch.ok());
      // It was open for a second or more after its headers; its time is to headers only.
      long openMicros = closedAt - (start + watch.lag().getMaxValue());
      assertThat(watch.service().getMaxValue(), lessThan(openMicros - 900_000));
      assertTrue("bytes of the event were counted", all.bytes() > 0);
    } finally {
      run.close();
    }
  }

  /**
   * kperf's watchList ends by itself at the initial-events-end bookmark, counted ok with the
   * time to that bookmark, while a plain WATCH of the same stream stays open until the end.
   */
  @Test
  public void watchListEndsAtItsBookmarkWhileAWatchStaysOpen() throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    long start = ReplayClock.nowEpochMicros() + 1_500_000;
    long end = start + 100_000;
    ReplaySettings settings =
        new ReplaySettings("watchlist-" + System.nanoTime(), ConnectionSettings.masterUrl(url), false, 4, 10_000,
            start, end, end + 60_000_000, 500, 0);
    ShardRun run = ShardRun.of(settings, 0);
    try {
      run.schedule(new ReplayRequest(0, 0, 0, Verb.WATCH, "ns", "pods", "", "/api/v1/namespaces/ns/pods", "", ""), start);
      run.schedule(
          new ReplayRequest(0, 1, 0, Verb.WATCH, "ns", "pods", "",
              "/api/v1/namespaces/ns/pods?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan"
                  + "&sendInitialEvents=true", "", "", io.kreplay.transforms.model.LoadKind.WATCH_LIST),
          start);
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (run.pending() > 1 && System.nanoTime() < giveUp) {
        Thread.sleep(10);
      }
      assertEquals("the watch-list ended by itself, the watch is still open", 1, run.pending());
      Thread.sleep(500);
      assertFalse("the watch stays open until the replay ends it", run.idle());
      Stats watchList = run.drain().rollUp(-1);
      assertEquals(1, watchList.total());
      assertEquals("a watch-list that reached its bookmark is a success", 1, watchList.ok());
      assertThat("its time runs to the bookmark", watchList.service().getMaxValue(),
          org.hamcrest.Matchers.greaterThanOrEqualTo((WATCH_LIST_BOOKMARK_MS - 50) * 1000));
      assertTrue(run.closeWatchesIfOnlyTheyRemain());
    } finally {
      run.close();
    }
  }
}
