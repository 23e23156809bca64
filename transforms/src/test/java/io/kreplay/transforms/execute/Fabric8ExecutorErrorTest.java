package io.kreplay.transforms.execute;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpHandler;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/** Failures become kperf's error keys, once each (no retries), and never carry a credential. */
public class Fabric8ExecutorErrorTest {
  private static final String TOKEN = "sha256~kreplay-test-token-0123456789abcdef";

  @Rule public Timeout guard = Timeout.seconds(30);

  private final CountDownLatch release = new CountDownLatch(1);
  private LocalHttpServer server;
  private Fabric8Executor executor;

  @After
  public void stop() {
    release.countDown();
    if (executor != null) {
      executor.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static HttpCall get() {
    return RequestBuilder.build(
        new ReplayRequest(
            0, 0, 0, Verb.GET, "test", "Pod", "a", "/api/v1/namespaces/test/pods/a", "", ""),
        false);
  }

  private static HttpHandler status(int code, AtomicInteger hits) {
    return exchange -> {
      hits.incrementAndGet();
      byte[] body = "{\"kind\":\"Status\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(code, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    };
  }

  private CallResult run(HttpHandler handler, Duration timeout) throws Exception {
    server = new LocalHttpServer(handler);
    executor = Fabric8Executor.open(ConnectionSettings.masterUrl(server.url()), timeout, 0);
    return executor.execute(get()).get(20, TimeUnit.SECONDS);
  }

  @Test
  public void serverErrorIsHttp500AndIsNotRetried() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    CallResult r = run(status(500, hits), Duration.ofSeconds(5));
    assertEquals("http/500", r.errorKey());
    assertEquals(500, r.status());
    assertEquals("fabric8 would retry a 500 ten times; a replay must not", 1, hits.get());
  }

  @Test
  public void aThrottledCallCarriesItsRetryAfter() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    CallResult r = run(exchange -> {
      hits.incrementAndGet();
      exchange.getResponseHeaders().add("Retry-After", "2");
      exchange.sendResponseHeaders(429, -1);
      exchange.close();
    }, Duration.ofSeconds(5));
    assertEquals("http/429", r.errorKey());
    assertEquals(2_000, r.retryAfterMillis());
    assertEquals("retrying is the load profile's business (maxRetries), not fabric8's", 1, hits.get());
    assertEquals("no Retry-After: -1", -1, run2(status(429, hits)).retryAfterMillis());
  }

  private CallResult run2(HttpHandler handler) throws Exception {
    try (LocalHttpServer s = new LocalHttpServer(handler);
        Fabric8Executor e = Fabric8Executor.open(ConnectionSettings.masterUrl(s.url()), Duration.ofSeconds(5), 0)) {
      return e.execute(get()).get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  public void throttlingIsHttp429() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    CallResult r = run(status(429, hits), Duration.ofSeconds(5));
    assertEquals("http/429", r.errorKey());
    assertEquals(1, hits.get());
  }

  @Test
  public void closedPortIsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    executor =
        Fabric8Executor.open(
            ConnectionSettings.masterUrl("http://127.0.0.1:" + port + "/"),
            Duration.ofSeconds(5),
            0);
    CallResult r = executor.execute(get()).get(20, TimeUnit.SECONDS);
    assertEquals("connection/refused", r.errorKey());
    assertEquals(0, r.status());
    assertEquals(CallResult.NEVER, r.headersNanos());
  }

  @Test
  public void serverThatNeverAnswersTimesOut() throws Exception {
    long start = System.nanoTime();
    CallResult r =
        run(
            exchange -> {
              try {
                release.await(); // hold the request until the test ends
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              exchange.close();
            },
            Duration.ofMillis(300));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals("connection/timeout", r.errorKey());
    assertThat("ended by the timeout, not by the test guard", tookMs, lessThan(5_000L));
    assertTrue(r.serviceNanos() >= TimeUnit.MILLISECONDS.toNanos(300));
    assertEquals(0, executor.inFlight());
  }

  @Test
  public void unauthorizedNamesTheStatusNeverTheToken() throws Exception {
    AtomicReference<String> authorization = new AtomicReference<>();
    server =
        new LocalHttpServer(
            exchange -> {
              authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
              // Echo the credential back, as a careless proxy might, to tempt a leak.
              byte[] body =
                  ("{\"message\":\"bad token " + authorization.get() + "\"}")
                      .getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(401, body.length);
              exchange.getResponseBody().write(body);
              exchange.close();
            });
    Config config =
        new ConfigBuilder(Config.empty()).withMasterUrl(server.url()).withOauthToken(TOKEN).build();
    PrintStream stderr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    CallResult r;
    try {
      System.setErr(new PrintStream(logs, true, "UTF-8")); // slf4j-simple logs to stderr
      executor = new Fabric8Executor(config, Duration.ofSeconds(5), 0);
      r = executor.execute(get()).get(20, TimeUnit.SECONDS);
    } finally {
      System.setErr(stderr);
    }
    assertEquals("Bearer " + TOKEN, authorization.get()); // fabric8 did the auth
    assertEquals("http/401", r.errorKey());
    assertFalse(r.toString().contains(TOKEN));
    assertThat(logs.toString("UTF-8"), not(containsString(TOKEN)));
  }

  @Test
  public void redactorMasksEveryConfiguredSecret() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:1/")
            .withOauthToken(TOKEN)
            .withPassword("hunter2-password")
            .withClientKeyData("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t")
            .build();
    SecretRedactor redactor = new SecretRedactor(() -> config);
    String text =
        "unknown/IOException: Bearer " + TOKEN + " hunter2-password LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t";
    String redacted = redactor.redact(text);
    assertThat(redacted, not(containsString(TOKEN)));
    assertThat(redacted, not(containsString("hunter2-password")));
    assertThat(redacted, not(containsString("LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t")));
    assertThat(redacted, containsString("unknown/IOException: Bearer <redacted>"));
  }

  @Test
  public void inFlightCapDelaysTheSecondCallUntilTheFirstEnds() throws Exception {
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    server =
        new LocalHttpServer(
            exchange -> {
              maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
              try {
                Thread.sleep(200);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              concurrent.decrementAndGet();
              exchange.sendResponseHeaders(200, -1);
              exchange.close();
            });
    executor = Fabric8Executor.open(ConnectionSettings.masterUrl(server.url()), Duration.ofSeconds(5), 1);
    CallFuture first = executor.execute(get());
    CallFuture second = executor.execute(get());
    assertEquals("the second waits, it is not refused", 1, executor.waiting());
    CallResult a = first.get(10, TimeUnit.SECONDS);
    CallResult b = second.get(10, TimeUnit.SECONDS);
    assertTrue(a.isSuccess() && b.isSuccess());
    assertTrue("sent only after the first ended", b.sentNanos() - a.completedNanos() >= 0);
    assertEquals(1, maxConcurrent.get());
    assertEquals(0, executor.inFlight());
  }

  @Test
  public void stoppingAQueuedCallFreesNothingItDidNotHold() throws Exception {
    AtomicInteger hits = new AtomicInteger();
    server = new LocalHttpServer(status(200, hits));
    executor = Fabric8Executor.open(ConnectionSettings.masterUrl(server.url()), Duration.ofSeconds(5), 1);
    CallFuture first = executor.execute(get());
    CallFuture queued = executor.execute(get());
    queued.stop();
    assertEquals(CallFuture.CANCELLED, queued.get(5, TimeUnit.SECONDS).errorKey());
    assertTrue(first.get(10, TimeUnit.SECONDS).isSuccess());
    assertEquals(0, executor.inFlight());
    assertEquals(0, executor.waiting());
    assertEquals(1, hits.get());
  }
}
