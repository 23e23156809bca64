package io.kreplay.transforms.execute;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * WATCH against a streaming watch endpoint shaped like the API server's: 200, then one JSON
 * event per line for as long as the client listens. (fabric8's mock serves watches over
 * WebSocket only.) The endpoint writes an ADDED event when the test "creates a pod" and
 * otherwise a heartbeat-free silence, like a quiet real watch.
 */
public class Fabric8ExecutorWatchTest {
  @Rule public Timeout guard = Timeout.seconds(30);

  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private final AtomicReference<String> requestUri = new AtomicReference<>();
  private final CountDownLatch clientClosed = new CountDownLatch(1);
  private LocalHttpServer server;
  private Fabric8Executor executor;

  @Before
  public void start() {
    server =
        new LocalHttpServer(
            exchange -> {
              requestUri.set(exchange.getRequestURI().toString());
              exchange.getResponseHeaders().add("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, 0); // chunked, open-ended
              OutputStream out = exchange.getResponseBody();
              out.flush();
              try {
                while (true) {
                  String event = events.poll(50, TimeUnit.MILLISECONDS);
                  // A one-space probe between events (whitespace to a JSON reader) finds a closed client.
                  out.write((event == null ? " " : event + "\n").getBytes(StandardCharsets.UTF_8));
                  out.flush();
                }
              } catch (IOException closed) {
                clientClosed.countDown();
              } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
              } finally {
                exchange.close();
              }
            });
    executor =
        Fabric8Executor.open(ConnectionSettings.masterUrl(server.url()), Duration.ofSeconds(1), 0);
  }

  @After
  public void stop() {
    if (executor != null) {
      executor.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static HttpCall watch(String selector) {
    return RequestBuilder.build(
        new ReplayRequest(
            0, 0, 0, Verb.WATCH, "test", "Pod", "", "/api/v1/namespaces/test/pods", "", selector),
        false);
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  public void watchesUseFreeConnectionsButNeverTheLastAndNeverWait() throws Exception {
    try (Fabric8Executor capped =
        Fabric8Executor.open(ConnectionSettings.masterUrl(server.url()), Duration.ofSeconds(1), 3)) {
      CallFuture[] watches = {capped.execute(watch("")), capped.execute(watch("")), capped.execute(watch(""))};
      assertEquals("the first two watches took slots of the cap", 2, capped.pooledWatches());
      assertEquals("the third, with one slot left, opened its own", 1, capped.ownWatches());
      assertEquals(2, capped.inFlight());
      // The slot left is for everything else: a GET starts at once.
      capped.execute(RequestBuilder.build(
          new ReplayRequest(0, 1, 0, Verb.GET, "test", "Pod", "p", "/api/v1/namespaces/test/pods/p", "", ""), false));
      assertEquals(3, capped.inFlight());
      assertEquals(0, capped.waiting());
      for (CallFuture w : watches) {
        w.stop();
        assertTrue("a watch closed by the replay is a success", w.get(5, TimeUnit.SECONDS).isSuccess());
      }
      assertEquals("ended watches give their slots back", 1, capped.inFlight());
    }
  }

  @Test
  public void watchReceivesAnAddedEventStaysOpenAndEndsCleanlyOnStop() throws Exception {
    CallFuture watch = executor.execute(watch("app=web"));
    await("headers", () -> watch.headersNanosSoFar() != CallResult.NEVER);
    assertThat(requestUri.get(), containsString("labelSelector=app%3Dweb"));
    assertThat(requestUri.get(), containsString("watch=true"));

    events.add("{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\"}}}");
    await("the ADDED event", () -> watch.eventsSoFar() == 1);
    Thread.sleep(1_500); // longer than the request timeout, which must not apply to a WATCH
    assertFalse("a watch stays open until stopped", watch.isDone());

    watch.stop();
    CallResult r = watch.get(5, TimeUnit.SECONDS);
    assertTrue(r.toString(), r.isSuccess());
    assertEquals(200, r.status());
    assertEquals(1, r.events());
    assertTrue(r.bytesReceived() > 60);
    assertEquals("latency is time to headers", r.headersNanos() - r.sentNanos(), r.serviceNanos());
    assertTrue("the server saw the connection close", clientClosed.await(10, TimeUnit.SECONDS));
  }

  @Test
  public void watchEndsAsSuccessAtItsDeadline() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    CallResult r = executor.execute(watch(""), deadline).get(10, TimeUnit.SECONDS);
    assertTrue(r.toString(), r.isSuccess());
    assertTrue("ended at the deadline, not before", r.completedNanos() - deadline >= 0);
    assertEquals(0, r.events());
    assertTrue("the server saw the connection close", clientClosed.await(10, TimeUnit.SECONDS));
  }

  @Test
  public void closingTheExecutorEndsOpenWatchesAsSuccesses() throws Exception {
    CallFuture watch = executor.execute(watch(""));
    await("headers", () -> watch.headersNanosSoFar() != CallResult.NEVER);
    executor.close();
    executor = null;
    CallResult r = watch.get(5, TimeUnit.SECONDS);
    assertTrue(r.toString(), r.isSuccess());
  }
}
