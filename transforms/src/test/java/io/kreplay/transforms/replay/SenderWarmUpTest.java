package io.kreplay.transforms.replay;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.kreplay.transforms.execute.ConnectionSettings;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

/**
 * The sender warm-up replays through the real sending path against a server of its own: every
 * request is answered there, none reaches the replay's target, and it never runs into the
 * shared start.
 */
public class SenderWarmUpTest {
  private static ReplaySettings settings(String url, long startMicros, int warmUpRequests) {
    return new ReplaySettings("warm-up-test-" + System.nanoTime(), ConnectionSettings.masterUrl(url), false, 16, 5_000,
            startMicros, startMicros + 1_000_000, startMicros + 2_000_000, 1_000, 0)
        .withWarmUpRequests(warmUpRequests);
  }

  @Test
  public void warmsUpAgainstItsOwnServerNeverTheTarget() throws Exception {
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger seenByTarget = new AtomicInteger();
    target.createContext("/", exchange -> {
      seenByTarget.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    target.start();
    try {
      long start = ReplayClock.nowEpochMicros() + 20_000_000;
      ReplaySettings s = settings("http://127.0.0.1:" + target.getAddress().getPort(), start, 3_000);
      SenderWarmUp.WarmUpResult r = SenderWarmUp.run(s, start - SenderWarmUp.MARGIN_MICROS);
      assertEquals(3_000, r.requests);
      assertEquals("every warm-up request answered by the in-JVM null server", 3_000, r.ok);
      assertEquals("the target sees nothing", 0, seenByTarget.get());
      assertTrue("ended before the start margin", ReplayClock.nowEpochMicros() < start - SenderWarmUp.MARGIN_MICROS);
    } finally {
      target.stop(0);
    }
  }

  @Test
  public void stopsAtTheMarginBeforeTheStartWhateverTheCount() throws Exception {
    long start = ReplayClock.nowEpochMicros() + 5_000_000;
    long until = start - SenderWarmUp.MARGIN_MICROS;
    SenderWarmUp.WarmUpResult r = SenderWarmUp.run(settings("http://127.0.0.1:9", start, 1_000_000), until);
    assertTrue("stopped by time, not count: " + r.requests, r.requests > 0 && r.requests < 1_000_000);
    assertTrue("done before the shared start", ReplayClock.nowEpochMicros() < start);
  }

  @Test
  public void skipsWhenTheStartIsTooClose() {
    long start = ReplayClock.nowEpochMicros() + 1_200_000;
    SenderWarmUp.WarmUpResult r = SenderWarmUp.run(settings("http://127.0.0.1:9", start, 1_000), start - SenderWarmUp.MARGIN_MICROS);
    assertEquals(0, r.requests);
  }
}
