package io.kreplay.transforms.execute;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * disableHTTP2 decides what the server sees: against a loopback Vert.x server offering HTTP/2 by
 * ALPN over TLS (a self-signed certificate made by keytool, trusted by --insecureSkipTlsVerify),
 * a replay client speaks HTTP/2 unless disableHTTP2, and HTTP/1.1 with it. On cleartext it speaks
 * HTTP/1.1 like kperf's Go client, even to a server that would take an h2c upgrade.
 */
public class Fabric8ExecutorHttp2Test {
  @Rule public Timeout guard = Timeout.seconds(60);
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final List<HttpVersion> seen = new CopyOnWriteArrayList<>();
  private final List<Object> connections = new CopyOnWriteArrayList<>(); // one per request
  private Vertx vertx;
  private String url;

  @Before
  public void startVertx() {
    vertx = Vertx.vertx();
  }

  /**
   * A server offering HTTP/2 (ALPN with {@code tls}, else h2c upgrade) with at most {@code
   * maxStreams} concurrent streams, answering after {@code delayMs}.
   */
  private void startServer(boolean tls, long maxStreams, long delayMs) throws Exception {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost("127.0.0.1")
            .setPort(0)
            .setHttp2ClearTextEnabled(true)
            .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(maxStreams));
    if (tls) {
      options.setSsl(true).setUseAlpn(true).setKeyCertOptions(new PfxOptions().setPath(selfSigned()).setPassword("changeit"));
    }
    HttpServer server = vertx.createHttpServer(options);
    server.requestHandler(
        req ->
            req.body(
                body -> {
                  synchronized (seen) {
                    seen.add(req.version());
                    connections.add(req.connection());
                  }
                  Runnable answer =
                      () ->
                          req.response()
                              .putHeader("Content-Type", "application/json")
                              .end("{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\"}}");
                  if (delayMs > 0) {
                    vertx.setTimer(delayMs, t -> answer.run());
                  } else {
                    answer.run();
                  }
                }));
    server.listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    url = (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort() + "/";
  }

  private String selfSigned() throws Exception {
    return selfSigned(tmp.getRoot());
  }

  /** A PKCS12 store (password changeit) with a self-signed EC certificate for 127.0.0.1, by keytool. */
  static String selfSigned(File dir) throws Exception {
    File store = new File(dir, "server.p12");
    Process keytool =
        new ProcessBuilder(
                System.getProperty("java.home") + "/bin/keytool", "-genkeypair", "-alias", "server",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.getPath(), "-storepass", "changeit", "-keypass", "changeit")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals("keytool: " + out, 0, keytool.waitFor());
    return store.getPath();
  }

  @After
  public void stopServer() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  private static HttpCall call(Verb verb, long i) {
    String body = verb == Verb.CREATE ? "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\"}}" : "";
    String path = verb == Verb.CREATE ? "/api/v1/namespaces/test/pods" : "/api/v1/namespaces/test/pods/a";
    return RequestBuilder.build(new ReplayRequest(0, i, i, verb, "test", "Pod", "a", path, body, ""), false);
  }

  /** One call to settle the connection (upgrade), then a POST and 20 GETs in flight at once. */
  private List<CallResult> replay(boolean disableHttp2) throws Exception {
    List<CallResult> results = send(disableHttp2);
    for (CallResult r : results) {
      assertNull("every call succeeds: " + r, r.errorKey());
    }
    return results;
  }

  private List<CallResult> send(boolean disableHttp2) throws Exception {
    List<CallResult> results = new ArrayList<>();
    try (Fabric8Executor e =
        Fabric8Executor.open(
            ConnectionSettings.masterUrl(url).insecureSkipTlsVerify(true).disableHttp2(disableHttp2), Duration.ofSeconds(10), 0)) {
      results.add(e.execute(call(Verb.GET, 0)).get(20, TimeUnit.SECONDS));
      results.add(e.execute(call(Verb.CREATE, 1)).get(20, TimeUnit.SECONDS));
      List<CallFuture> burst = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        burst.add(e.execute(call(Verb.GET, 2 + i)));
      }
      for (CallFuture f : burst) {
        results.add(f.get(20, TimeUnit.SECONDS));
      }
    }
    return results;
  }

  @Test
  public void http2UnlessDisabled() throws Exception {
    startServer(true, 100, 0);
    replay(false);
    assertThat(seen, hasSize(22));
    assertThat(seen, everyItem(is(HttpVersion.HTTP_2)));
    assertEquals("HTTP/2 multiplexes every call on one connection", 1, new HashSet<>(connections).size());
  }

  @Test
  public void http11OnCleartextLikeGo() throws Exception {
    startServer(false, 100, 0);
    replay(false);
    assertThat(seen, hasSize(22));
    assertThat(seen, everyItem(is(HttpVersion.HTTP_1_1)));
  }

  @Test
  public void http11WhenDisabled() throws Exception {
    startServer(true, 100, 0);
    replay(true);
    assertThat(seen, hasSize(22));
    assertThat(seen, everyItem(is(HttpVersion.HTTP_1_1)));
    assertThat(
        "HTTP/1.1 needs a connection per call in flight",
        new HashSet<>(connections).size(), greaterThan(1));
  }

  /**
   * JDK 17's client does not queue calls beyond the server's SETTINGS_MAX_CONCURRENT_STREAMS: it
   * fails them at once. They must count as failures with kperf's HTTP/2 key, never vanish;
   * keeping calls in flight per JVM under the server's limit is the operator's part (README).
   */
  @Test
  public void callsBeyondTheServersStreamLimitFailAsHttp2Errors() throws Exception {
    startServer(true, 4, 300);
    List<CallResult> results = send(false);
    assertThat(results, hasSize(22));
    long ok = results.stream().filter(r -> r.errorKey() == null).count();
    List<String> failed = new ArrayList<>();
    results.stream().filter(r -> r.errorKey() != null).forEach(r -> failed.add(r.errorKey()));
    assertThat(failed, everyItem(is("http2-protocol/too many concurrent streams")));
    assertThat("the burst of 20 exceeds 4 streams", failed.size(), greaterThan(0));
    assertEquals("every call answered or failed", (long) seen.size(), ok);
  }
}
