package io.kreplay.transforms.replay;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.Stats;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * Per-object ordering at the sender: two requests of one object 20 ms apart against a server
 * that takes 300 ms to answer. By default the second leaves on time, while the first is still
 * in flight; under {@code --ordering=strict} it leaves only once the first is answered, and the
 * wait shows as lag. A request of another object is never held back.
 */
public class ShardRunOrderingTest {
  @Rule public final Timeout guard = Timeout.seconds(60);

  private static final long ANSWER_MILLIS = 300;

  private HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  /** Path -> System.nanoTime() when the server got it. */
  private final Map<String, Long> arrivals = new ConcurrentHashMap<>();

  @Before
  public void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      arrivals.put(exchange.getRequestURI().getPath(), System.nanoTime());
      try {
        if (!exchange.getRequestURI().getPath().equals("/version")) {
          Thread.sleep(ANSWER_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(threads);
    server.start();
  }

  @After
  public void stopServer() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static ReplayRequest get(long seq, long ms, String object, String path) {
    return new ReplayRequest(0, seq, ms, Verb.GET, "ns", "pods", object, path, "", "");
  }

  /** Replays a1 at t, a2 (same object) and b (another) at t + 20 ms; returns arrival offsets. */
  private long[] replay(boolean strict, String tag) throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    long start = ReplayClock.nowEpochMicros() + 1_500_000; // after the client's warm-up call
    long end = start + 20_000;
    ReplaySettings settings =
        new ReplaySettings(
            "ordering-" + tag + "-" + System.nanoTime(), ConnectionSettings.masterUrl(url), false, 8, 10_000,
            start, end, end + 10_000_000, 500, 0)
            .withStrictOrdering(strict);
    String a1 = "/api/v1/namespaces/ns/pods/a-" + tag + "-1";
    String a2 = "/api/v1/namespaces/ns/pods/a-" + tag + "-2";
    String b = "/api/v1/namespaces/ns/pods/b-" + tag;
    ShardRun run = ShardRun.of(settings, 0);
    try {
      // The same object ("a"), reached by two paths so the server can tell them apart.
      run.schedule(get(0, 0, "a", a1), start);
      run.schedule(get(1, 20, "a", a2), start + 20_000);
      run.schedule(get(2, 20, "b", b), start + 20_000);
      long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!run.idle() && System.nanoTime() < giveUp) {
        Thread.sleep(20);
      }
      HistogramSet measured = run.drain();
      Stats all = measured.rollUp(-1);
      assertEquals("every request has an outcome", 3, all.total());
      assertEquals(3, all.ok());
      long first = arrivals.get(a1);
      return new long[] {
        TimeUnit.NANOSECONDS.toMillis(arrivals.get(a2) - first),
        TimeUnit.NANOSECONDS.toMillis(arrivals.get(b) - first),
        all.lag().getMaxValue() / 1000
      };
    } finally {
      run.close();
    }
  }

  @Test
  public void byDefaultTheNextRequestOfAnObjectLeavesOnTime() throws Exception {
    long[] t = replay(false, "timestamp");
    assertThat("a2 left while a1 was in flight", t[0], lessThan(ANSWER_MILLIS - 100));
    assertThat("b is not held back", t[1], lessThan(ANSWER_MILLIS - 100));
  }

  @Test
  public void strictOrderingWaitsForTheObjectsPreviousAnswer() throws Exception {
    long[] t = replay(true, "strict");
    assertThat("a2 left only after a1 was answered", t[0], greaterThanOrEqualTo(ANSWER_MILLIS));
    assertThat("b, another object, is not held back", t[1], lessThan(ANSWER_MILLIS - 100));
    assertThat("the wait is lag (ms)", t[2], greaterThanOrEqualTo(ANSWER_MILLIS - 20 - 5));
  }
}
