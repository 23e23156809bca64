package io.kreplay.transforms.execute;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kreplay.transforms.model.LoadKind;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * kperf's watchList (client-go's {@code WatchList}) ends at the initial-events-end bookmark.
 * A loopback server streams a watch the way the API server does for {@code sendInitialEvents}:
 * ADDED events for the current objects (one of them larger than any bookmark), after {@value
 * #BOOKMARK_AFTER_MS} ms the BOOKMARK annotated {@code k8s.io/initial-events-end: "true"}, and
 * then an open stream. (fabric8's mock server serves watches over WebSocket only.)
 */
public class Fabric8ExecutorWatchListTest {
  static final long BOOKMARK_AFTER_MS = 400;
  @Rule public Timeout guard = Timeout.seconds(30);

  private final AtomicReference<String> requestUri = new AtomicReference<>();
  private final CountDownLatch clientClosed = new CountDownLatch(1);
  private volatile boolean sendBookmark = true;
  private LocalHttpServer server;
  private Fabric8Executor executor;

  private static String added(String name, int padding) {
    return "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name
        + "\",\"resourceVersion\":\"10\"},\"spec\":{\"pad\":\"" + "x".repeat(padding) + "\"}}}\n";
  }

  static final String BOOKMARK =
      "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"12\","
          + "\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}}}}\n";

  @Before
  public void start() {
    server =
        new LocalHttpServer(
            exchange -> {
              requestUri.set(exchange.getRequestURI().toString());
              exchange.getResponseHeaders().add("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, 0);
              OutputStream out = exchange.getResponseBody();
              try {
                // A plain bookmark (no annotation) is not the end of the initial events.
                out.write((added("a", 10) + added("b", 100_000)
                    + "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"11\"}}}\n")
                    .getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(BOOKMARK_AFTER_MS);
                if (!sendBookmark) {
                  return; // the stream ends without the bookmark
                }
                out.write((added("c", 10) + BOOKMARK).getBytes(StandardCharsets.UTF_8));
                out.flush();
                while (true) { // then a live watch: a probe finds a closed client
                  Thread.sleep(50);
                  out.write(' ');
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
    executor = Fabric8Executor.open(ConnectionSettings.masterUrl(server.url()), Duration.ofSeconds(5), 2);
  }

  @After
  public void stop() {
    executor.close();
    server.close();
  }

  private static HttpCall watchList() {
    return RequestBuilder.build(
        new ReplayRequest(0, 0, 0, Verb.WATCH, "test", "pods", "",
            "/api/v1/namespaces/test/pods?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan"
                + "&sendInitialEvents=true",
            "", "", LoadKind.WATCH_LIST),
        false);
  }

  @Test
  public void endsAsSuccessAtTheInitialEventsEndBookmark() throws Exception {
    HttpCall call = watchList();
    assertTrue(call.isWatchList());
    assertFalse("a watch-list is not held open like a WATCH", call.isWatch());
    CallResult r = executor.execute(call).get(10, TimeUnit.SECONDS);
    assertThat(requestUri.get(), containsString("sendInitialEvents=true"));
    assertThat(requestUri.get(), containsString("watch=true"));
    assertTrue(r.toString(), r.isSuccess());
    assertEquals(200, r.status());
    assertEquals("three ADDED and two BOOKMARK events read", 5, r.events());
    assertTrue("the large ADDED event was read", r.bytesReceived() > 100_000);
    assertTrue(
        "latency runs to the bookmark, not to the headers",
        r.serviceNanos() >= TimeUnit.MILLISECONDS.toNanos(BOOKMARK_AFTER_MS - 50)
            && r.serviceNanos() == r.completedNanos() - r.sentNanos());
    assertTrue("the client closed the stream at the bookmark", clientClosed.await(10, TimeUnit.SECONDS));
    assertEquals("its slot of the cap is given back", 0, executor.inFlight());
  }

  @Test
  public void aPlainWatchOfTheSameStreamStaysOpen() throws Exception {
    HttpCall watch =
        RequestBuilder.build(
            new ReplayRequest(0, 0, 0, Verb.WATCH, "test", "Pod", "", "/api/v1/namespaces/test/pods", "", ""), false);
    CallFuture f = executor.execute(watch);
    Thread.sleep(BOOKMARK_AFTER_MS + 600);
    assertTrue("bookmark delivered", f.eventsSoFar() >= 5);
    assertFalse("a WATCH is not ended by the initial-events-end bookmark", f.isDone());
    f.stop();
    assertTrue(f.get(5, TimeUnit.SECONDS).isSuccess());
  }

  @Test
  public void aStreamThatEndsBeforeTheBookmarkFails() throws Exception {
    sendBookmark = false;
    CallResult r = executor.execute(watchList()).get(10, TimeUnit.SECONDS);
    assertEquals(Fabric8Executor.WATCH_LIST_CUT_SHORT, r.errorKey());
  }

  @Test
  public void bookmarkLinesAreRecognisedAcrossBufferBoundaries() {
    InitialEventsEnd finder = new InitialEventsEnd();
    byte[] stream = (added("a", 70_000) + BOOKMARK).getBytes(StandardCharsets.UTF_8);
    int cut = stream.length - BOOKMARK.length() / 2;
    assertFalse(finder.feed(java.nio.ByteBuffer.wrap(stream, 0, cut).slice()));
    assertTrue(finder.feed(java.nio.ByteBuffer.wrap(stream, cut, stream.length - cut).slice()));
    assertFalse(
        "the annotation must say true",
        InitialEventsEnd.isInitialEventsEnd(BOOKMARK.replace("\"true\"", "\"false\"").getBytes(StandardCharsets.UTF_8)));
  }
}
