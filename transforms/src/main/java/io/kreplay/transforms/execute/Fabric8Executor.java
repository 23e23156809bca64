package io.kreplay.transforms.execute;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link HttpCall}s through fabric8's own HTTP client, so authentication (tokens, client
 * certificates, exec plugins, token refresh), TLS and kubeconfig contexts are fabric8's, and
 * never blocks a caller: {@link #execute} returns at once with a {@link CallFuture}.
 *
 * <p>Which HTTP client, one rule ({@link #httpClientFactory}): kperf's {@code disableHTTP2}
 * (fabric8's {@code http2Disable}) picks it when the client is built, never {@code
 * ServiceLoader}.
 *
 * <ul>
 *   <li>HTTP/2 wanted (the default) on an {@code https} server: fabric8's JDK client ({@code
 *       kubernetes-httpclient-jdk}, {@code java.net.http}). It negotiates HTTP/2 by ALPN and falls
 *       back to HTTP/1.1 when the server declines. On HTTP/2, calls are streams on one connection
 *       per server; {@code maxInFlight} caps the streams.
 *   <li>{@code disableHTTP2}, or a cleartext {@code http} server: fabric8's Vert.x client ({@code kubernetes-httpclient-vertx}, Vert.x
 *       4.5 on Netty), which is HTTP/1.1 only (it never enables ALPN) and is what the replay
 *       benchmarks measured first.
 *   <li>Either way fabric8 does auth, TLS and interceptors ({@code StandardHttpClient}). The JDK
 *       client cannot turn off host name checks per client: with {@code insecureSkipTlsVerify}
 *       it gets the JDK's own switch, {@code jdk.internal.httpclient.disableHostnameVerification},
 *       which is JVM-wide and read once (see {@link #httpClientFactory}).
 *   <li>Vert.x's pool is fixed at 8192 connections per server, and it ignores {@code
 *       maxConcurrentRequests[PerHost]} (only the OkHttp client honours those); the JDK client
 *       has no such limits at all. The bound is
 *       therefore ours: {@code maxInFlight} caps calls in flight, which on HTTP/1.1 is the
 *       connection count. A WATCH never waits for the cap (it is long-lived and would hold
 *       back everything behind it): while the pool has two free slots or more, a WATCH takes one
 *       and keeps it until it ends (the first WATCHes of a shard use the shard's connections,
 *       but never the last free one); after that, further WATCHes open connections of their
 *       own, outside the cap.
 *   <li>{@code consumeBytes} is asynchronous end to end: the future completes on a Vert.x
 *       event-loop thread (JDK: its executor) when headers arrive, and the body comes chunk by chunk on demand.
 *   <li>fabric8 retries 5xx and I/O errors ten times by default; every client built here has
 *       retries off so a replay counts what the server answered.
 * </ul>
 *
 * <p>Timeouts: a non-WATCH call that has not ended {@code requestTimeout} after it was sent
 * ends as {@value ErrorKeys#TIMEOUT} and its stream is reset. A WATCH has no timeout; it ends
 * at its deadline or on {@link CallFuture#stop()}, as a success.
 *
 * <p>Credentials never reach an error key or a log line: keys are built from status codes and a
 * fixed vocabulary, and free text is passed through {@link SecretRedactor}.
 */
public final class Fabric8Executor implements AutoCloseable {
  /**
   * Every call's timeout or deadline, in this JVM: one daemon thread whose tasks only complete
   * futures and reset streams. A hashed wheel (Netty's), because nearly every call schedules a
   * timeout and cancels it when answered: O(1) both ways, no lock and no wake-up per call
   * (a ScheduledThreadPoolExecutor took a lock, a heap sift and often a thread signal for each,
   * ~4% of the event loops' CPU at 3,000 req/s). Deadlines fire within one 10 ms tick.
   */
  private static final HashedWheelTimer TIMERS =
      new HashedWheelTimer(
          r -> {
            Thread t = new Thread(r, "kreplay-call-timers");
            t.setDaemon(true);
            return t;
          },
          10, TimeUnit.MILLISECONDS, 1024);

  /** No deadline: the call ends by itself, by timeout, or by {@link CallFuture#stop()}. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private static final Logger LOG = LoggerFactory.getLogger(Fabric8Executor.class);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final HttpClient http;
  private final String baseUrl;
  private final long timeoutNanos;
  private final InFlightLimit limit;
  private final SecretRedactor redactor;
  private final Set<CallFuture> live = ConcurrentHashMap.newKeySet();
  private final AtomicLong pooledWatches = new AtomicLong();
  private final AtomicLong ownWatches = new AtomicLong();

  /** Connects as {@code settings} say. */
  public static Fabric8Executor open(
      ConnectionSettings settings, Duration requestTimeout, int maxInFlight) {
    return new Fabric8Executor(settings.toConfig(), requestTimeout, maxInFlight);
  }

  /**
   * Uses a fabric8 configuration as it is, except that request retries are turned off in it.
   *
   * @param requestTimeout per-call timeout for non-WATCH calls; zero or null for none
   * @param maxInFlight cap on non-WATCH calls in flight; zero or less for none
   */
  public Fabric8Executor(Config config, Duration requestTimeout, int maxInFlight) {
    this(newClient(config), true, requestTimeout, maxInFlight);
  }

  /**
   * A fabric8 client for replaying as {@code settings} say (request retries off), to share
   * between executors with {@link #sharing}: one client is one Vert.x instance (event loops,
   * connection pool) rather than one per shard.
   */
  public static KubernetesClient newClient(ConnectionSettings settings) {
    return newClient(settings.toConfig());
  }

  private static KubernetesClient newClient(Config config) {
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(httpClientFactory(config))
        .build();
  }

  /**
   * The one rule for which HTTP client a replay client uses: HTTP/2 where kperf (Go's client)
   * would get it, i.e. on an {@code https} server unless {@code http2Disable} (kperf's {@code
   * disableHTTP2}): the JDK client, which negotiates HTTP/2 by ALPN (HTTP/1.1 if the server
   * declines). Otherwise Vert.x, HTTP/1.1 only. Go never asks a cleartext server for HTTP/2
   * (no h2c upgrade), kube-apiserver serves HTTP/2 only over TLS, and the JDK client's h2c upgrade
   * misbehaved against fabric8's mock server (DELETEs answered but not applied), so {@code http}
   * servers (the embedded API, test servers) keep the client that was measured.
   *
   * <p>With trust-all certificates asked for (kreplay's {@code --insecureSkipTlsVerify} or the
   * kubeconfig's {@code insecure-skip-tls-verify}) the JDK client also needs the JDK's host name
   * switch, a system property read once per JVM: set before the first JDK client, it holds for
   * every later JDK client in the JVM (certificate trust stays per client).
   */
  static io.fabric8.kubernetes.client.http.HttpClient.Factory httpClientFactory(Config config) {
    if (!usesHttp2(config)) {
      return new VertxHttpClientFactory();
    }
    if (config.isTrustCerts() || config.isDisableHostnameVerification()) {
      System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
    }
    return new JdkHttpClientFactory();
  }

  /** Whether clients for {@code settings} speak HTTP/2 (the rule of {@link #httpClientFactory}). */
  public static boolean usesHttp2(ConnectionSettings settings) {
    return usesHttp2(settings.toConfig());
  }

  private static boolean usesHttp2(Config config) {
    String url = config.getMasterUrl();
    return !config.isHttp2Disable() && url != null && url.regionMatches(true, 0, "https:", 0, 6);
  }

  /**
   * An executor with its own in-flight cap and timeouts on a client shared with others (made by
   * {@link #newClient}); {@link #close()} leaves the client open for its owner to close.
   */
  public static Fabric8Executor sharing(KubernetesClient client, Duration requestTimeout, int maxInFlight) {
    return new Fabric8Executor(client, false, requestTimeout, maxInFlight);
  }

  private Fabric8Executor(KubernetesClient client, boolean ownsClient, Duration requestTimeout, int maxInFlight) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.http = client.getHttpClient();
    String master = client.getConfiguration().getMasterUrl();
    this.baseUrl = master.endsWith("/") ? master.substring(0, master.length() - 1) : master;
    this.timeoutNanos = requestTimeout == null ? 0 : requestTimeout.toNanos();
    this.limit = new InFlightLimit(maxInFlight);
    this.redactor = new SecretRedactor(client::getConfiguration);
  }

  /** Sends {@code call} with no deadline; see {@link #execute(HttpCall, long)}. */
  public CallFuture execute(HttpCall call) {
    return execute(call, NO_DEADLINE);
  }

  /**
   * Sends {@code call} (now, or when the in-flight cap lets it) and returns at once.
   *
   * @param deadlineNanos a {@link System#nanoTime()} instant at which the call ends: a WATCH
   *     as a success, anything else as {@value ErrorKeys#TIMEOUT}; {@link #NO_DEADLINE} for none
   */
  public CallFuture execute(HttpCall call, long deadlineNanos) {
    boolean watch = call.isWatch();
    CallFuture future = new CallFuture(watch, this::ended);
    live.add(future);
    if (watch) {
      // Never the last free slot: a shard whose every connection held a watch would send
      // nothing else until the watches end.
      if (limit.tryAcquire(1)) {
        future.holdsSlot.set(true);
        pooledWatches.incrementAndGet();
      } else {
        ownWatches.incrementAndGet();
      }
      start(call, deadlineNanos, future);
    } else {
      limit.submit(
          () -> {
            future.holdsSlot.set(true);
            start(call, deadlineNanos, future);
          });
    }
    return future;
  }

  /** Calls in flight under the cap (WATCHes that took a slot included). */
  public int inFlight() {
    return limit.inFlight();
  }

  /** WATCHes started so far on a slot of the in-flight cap (the shard's own connections). */
  public long pooledWatches() {
    return pooledWatches.get();
  }

  /** WATCHes started so far outside the cap, because every slot was taken. */
  public long ownWatches() {
    return ownWatches.get();
  }

  /** Calls waiting for the in-flight cap. */
  public int waiting() {
    return limit.waiting();
  }

  // However a call ends (response, failure, timeout, stop, cancel), exactly once.
  private void ended(CallFuture future) {
    live.remove(future);
    releaseSlot(future);
  }

  private void releaseSlot(CallFuture future) {
    if (future.holdsSlot.compareAndSet(true, false)) {
      limit.release();
    }
  }

  private void start(HttpCall call, long deadlineNanos, CallFuture future) {
    if (future.hasEnded()) { // stopped or cancelled while it waited for a slot
      releaseSlot(future);
      return;
    }
    HttpRequest request;
    try {
      request = request(call);
    } catch (RuntimeException e) {
      future.sent(System.nanoTime());
      future.finish("unknown/invalid request: " + ErrorKeys.shorten(redactor.redact(e.getMessage())));
      return;
    }
    long sent = System.nanoTime();
    future.sent(sent);
    scheduleEnd(call, sent, deadlineNanos, future);

    CompletableFuture<HttpResponse<AsyncBody>> response =
        http.consumeBytes(
            request,
            (buffers, body) -> {
              future.bytes(buffers);
              body.consume();
            });
    response.whenComplete(
        (resp, failure) -> {
          if (failure != null) {
            fail(future, failure);
            return;
          }
          int code = resp.code();
          if (code == 429) {
            future.retryAfter(resp.header("Retry-After"));
          }
          AsyncBody body = resp.body();
          future.headers(code, body);
          body.done()
              .whenComplete(
                  (ignored, bodyFailure) -> {
                    if (bodyFailure == null) {
                      future.streamEnded();
                      future.finish(HttpResponse.isSuccessful(code) ? null : ErrorKeys.ofStatus(code));
                    } else {
                      fail(future, bodyFailure);
                    }
                  });
          body.consume();
        });
  }

  private HttpRequest request(HttpCall call) {
    HttpRequest.Builder b =
        http.newHttpRequestBuilder()
            .uri(URI.create(baseUrl + call.pathAndQuery()))
            .method(call.method(), call.contentType(), call.body())
            .setHeader("Accept", call.accept());
    if (call.isWatch()) {
      b.forStreaming();
    } else if (timeoutNanos > 0) {
      // Backstop inside the client (Vert.x resets a stream idle this long, the JDK client
      // cancels the exchange), so a call we
      // gave up on does not hold its connection until the server answers.
      b.timeout(timeoutNanos, TimeUnit.NANOSECONDS);
    }
    return b.build();
  }

  private void scheduleEnd(HttpCall call, long sent, long deadlineNanos, CallFuture future) {
    long end = deadlineNanos;
    if (!call.isWatch() && timeoutNanos > 0 && sent + timeoutNanos - deadlineNanos < 0) {
      end = sent + timeoutNanos;
    }
    if (end == NO_DEADLINE) {
      return;
    }
    TimerTask atEnd = call.isWatch() ? t -> future.stop() : t -> future.finish(ErrorKeys.TIMEOUT);
    long delay = Math.max(0, end - System.nanoTime());
    future.timer(TIMERS.newTimeout(atEnd, delay, TimeUnit.NANOSECONDS));
  }

  private void fail(CallFuture future, Throwable failure) {
    if (future.hasEnded()) {
      return; // we ended it (timeout, stop); the stream reset that followed is not news
    }
    String key = redactor.redact(ErrorKeys.of(failure));
    if (future.finish(key) && LOG.isDebugEnabled()) {
      LOG.debug("call failed: {}", key);
    }
  }

  /** Stops every call still open (WATCHes end as successes), then closes the client if it owns it. */
  @Override
  public void close() {
    for (CallFuture f : live) {
      f.stop();
    }
    if (ownsClient) {
      client.close();
    }
  }
}
