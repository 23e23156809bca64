package io.kreplay.transforms.execute;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * kperf's conns bound the connections a shard opens: a loopback Vert.x server counts the TCP
 * connections it accepts and the streams open at once on each, while more calls are in flight
 * than there are connections. Every call must end answered (none lost, none failed).
 */
public class Fabric8ExecutorConnsTest {
  @Rule public Timeout guard = Timeout.seconds(60);
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final AtomicInteger accepted = new AtomicInteger();
  private final Map<HttpConnection, AtomicInteger> openPerConnection = new ConcurrentHashMap<>();
  private final AtomicInteger mostOpenOnOne = new AtomicInteger();
  private final List<HttpVersion> versions = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private String url;

  @Before
  public void startVertx() {
    vertx = Vertx.vertx();
  }

  @After
  public void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Answers every request after {@code delayMs}; HTTP/2 by ALPN with {@code tls}. */
  private void startServer(boolean tls, long maxStreams, long delayMs) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(maxStreams));
    if (tls) {
      options.setSsl(true).setUseAlpn(true)
          .setKeyCertOptions(new PfxOptions().setPath(Fabric8ExecutorHttp2Test.selfSigned(tmp.getRoot()))
              .setPassword("changeit"));
    }
    HttpServer server = vertx.createHttpServer(options);
    server.connectionHandler(c -> accepted.incrementAndGet());
    server.requestHandler(
        req -> {
          versions.add(req.version());
          AtomicInteger open = openPerConnection.computeIfAbsent(req.connection(), c -> new AtomicInteger());
          mostOpenOnOne.accumulateAndGet(open.incrementAndGet(), Math::max);
          vertx.setTimer(
              delayMs,
              t -> {
                open.decrementAndGet();
                req.response().putHeader("Content-Type", "application/json").end("{\"kind\":\"Pod\"}");
              });
        });
    server.listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    url = (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort() + "/";
  }

  private static HttpCall get(long i) {
    return RequestBuilder.build(
        new ReplayRequest(0, i, i, Verb.GET, "test", "Pod", "p" + i, "/api/v1/namespaces/test/pods/p" + i, "", ""),
        false);
  }

  /** Warms every connection, then sends {@code calls} GETs at once; returns their results. */
  private List<CallResult> burst(Fabric8Executor e, int calls) throws Exception {
    e.warmUp(get(-1)).get(20, TimeUnit.SECONDS);
    List<CallFuture> futures = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      futures.add(e.execute(get(i)));
    }
    List<CallResult> results = new ArrayList<>();
    for (CallFuture f : futures) {
      results.add(f.get(30, TimeUnit.SECONDS));
    }
    return results;
  }

  private static void everyCallAnswered(List<CallResult> results, int calls) {
    List<String> errors = new ArrayList<>();
    results.forEach(r -> errors.add(r.errorKey()));
    assertEquals(calls, results.size());
    assertThat("no call lost or failed", errors, everyItem(is((String) null)));
  }

  @Test
  public void http11OpensAtMostConnsConnections() throws Exception {
    startServer(false, 100, 150);
    try (Fabric8Executor e =
        Fabric8Executor.open(ConnectionSettings.masterUrl(url), Duration.ofSeconds(20), 8, 2)) {
      assertEquals("calls beyond the connections wait in the cap", 2, e.maxInFlight());
      everyCallAnswered(burst(e, 16), 16);
    }
    assertThat("TCP connections accepted", accepted.get(), lessThanOrEqualTo(2));
    assertThat(versions, everyItem(is(HttpVersion.HTTP_1_1)));
  }

  /**
   * Without our cap (maxInFlight 0 and the pool bound alone) Vert.x's own pool must hold the
   * line: this is the bound fabric8 does not let us set, applied through PooledVertxFactory.
   */
  @Test
  public void http11PoolItselfIsBounded() throws Exception {
    startServer(false, 100, 150);
    KubernetesClientHolder holder = new KubernetesClientHolder(url, 3);
    try (Fabric8Executor e = Fabric8Executor.sharing(holder.client, Duration.ofSeconds(20), 0)) {
      everyCallAnswered(burst(e, 12), 12);
    } finally {
      holder.client.close();
    }
    assertThat("TCP connections accepted", accepted.get(), lessThanOrEqualTo(3));
  }

  /**
   * HTTP/2 with conns 3 against a server allowing 4 streams per connection: a shard cap of 8
   * split over 3 connections (at most 3 each) never crosses the server's limit, so a burst of 30
   * that fails on one connection (Fabric8ExecutorHttp2Test) is answered in full here.
   */
  @Test
  public void http2SpreadsStreamsOverConnsConnections() throws Exception {
    startServer(true, 4, 150);
    try (Fabric8Executor e =
        Fabric8Executor.open(
            ConnectionSettings.masterUrl(url).insecureSkipTlsVerify(true), Duration.ofSeconds(20), 8, 3)) {
      assertEquals(3, e.connections());
      everyCallAnswered(burst(e, 30), 30);
    }
    assertThat(versions, everyItem(is(HttpVersion.HTTP_2)));
    assertEquals("one connection per conn, each used", 3, accepted.get());
    assertThat("streams open at once on one connection", mostOpenOnOne.get(), lessThanOrEqualTo(3));
  }

  /** A fabric8 client with the pool bound alone, as Fabric8Executor makes for HTTP/1.1. */
  private static final class KubernetesClientHolder {
    final io.fabric8.kubernetes.client.KubernetesClient client;

    KubernetesClientHolder(String url, int pool) {
      io.fabric8.kubernetes.client.Config config = ConnectionSettings.masterUrl(url).toConfig();
      client =
          new io.fabric8.kubernetes.client.KubernetesClientBuilder()
              .withConfig(config)
              .withHttpClientFactory(Fabric8Executor.httpClientFactory(config, pool))
              .build();
    }
  }
}
