package io.kreplay.transforms.execute;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.netty.util.HashedWheelTimer;
import io.netty.util.TimerTask;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.util.concurrent.ThreadFactoryBuilder;
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
 *       back to HTTP/1.1 when the server declines. One JDK client is one connection per server
 *       and calls are streams on it.
 *   <li>{@code disableHTTP2}, or a cleartext {@code http} server: fabric8's Vert.x client ({@code
 *       kubernetes-httpclient-vertx}, Vert.x 4.5 on Netty), which is HTTP/1.1 only (it never
 *       enables ALPN) and is what the replay benchmarks measured first. Every Vert.x client runs
 *       on one Vert.x instance per JVM ({@link PooledVertxFactory}).
 *   <li>Either way fabric8 does auth, TLS and interceptors ({@code StandardHttpClient}). The JDK
 *       client cannot turn off host name checks per client: with {@code insecureSkipTlsVerify}
 *       it gets the JDK's own switch, {@code jdk.internal.httpclient.disableHostnameVerification},
 *       which is JVM-wide and read once (see {@link #httpClientFactory}).
 *   <li>Connections: with {@code conns} ({@link #open(ConnectionSettings, Duration, int, int)},
 *       kperf's connsPerRunner) a shard has that many JDK clients on HTTP/2, or a Vert.x pool
 *       bounded at that many on HTTP/1.1, and its in-flight cap is bounded accordingly. {@code
 *       maxInFlight} caps calls in flight; calls over it wait in a queue (as lag). A WATCH never
 *       waits for the cap (it is long-lived and would hold back everything behind it): while
 *       two slots or more are free, a WATCH takes one and keeps it until it ends (the first
 *       WATCHes of a shard use the shard's connections, but never the last free one); after
 *       that, further WATCHes run outside the cap (on HTTP/1.1 with {@code conns}: on a pool
 *       of their own).
 *   <li>A load profile's watch-list ({@link HttpCall#isWatchList()}) is not a WATCH: it is
 *       capped and timed out like any call and ends at its initial-events-end bookmark.
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
          new ThreadFactoryBuilder().setNameFormat("kreplay-call-timers").setDaemon(true).build(),
          10, TimeUnit.MILLISECONDS, 1024);

  /** No deadline: the call ends by itself, by timeout, or by {@link CallFuture#stop()}. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  private static final Logger LOG = LoggerFactory.getLogger(Fabric8Executor.class);

  /**
   * A watch-list whose stream ended before its initial-events-end bookmark (an API server
   * without the WatchList feature, or one that closed the watch): client-go's {@code WatchList}
   * fails then, and so does the call. (A bookmark seen ends the call before the stream does.)
   */
  static final String WATCH_LIST_CUT_SHORT = "unknown/watch ended before initial-events-end";

  /**
   * Streams one HTTP/2 connection carries at most when {@code conns} is set: kube-apiserver's
   * default {@code --http2-max-streams-per-connection} (Go's HTTP/2 server default too). The JDK
   * client fails calls past the server's limit instead of queueing them, so a shard's cap is
   * at most {@code conns} times this, and calls beyond it wait (as lag) rather than fail.
   */
  public static final int HTTP2_STREAMS_PER_CONNECTION = 250;

  /** The clients this executor sends through; each is one connection on HTTP/2. */
  private final List<KubernetesClient> clients;
  private final boolean ownsClient;
  /** Where calls go: the least loaded of these (one entry unless HTTP/2 with several conns). */
  private final HttpClient[] connections;
  private final AtomicInteger[] openOn;
  /**
   * HTTP/1.1 with a bounded pool: WATCHes that find no free slot go here (a pool of its own,
   * made on first need) rather than waiting in the bounded pool behind long-lived watches.
   */
  private final Config overflowConfig;
  private volatile KubernetesClient overflow;
  private final String baseUrl;
  private final long timeoutNanos;
  private final InFlightLimit limit;
  private final SecretRedactor redactor;
  private final Set<CallFuture> live = ConcurrentHashMap.newKeySet();
  private final AtomicLong pooledWatches = new AtomicLong();
  private final AtomicLong ownWatches = new AtomicLong();

  /** Connects as {@code settings} say, with no bound on connections (see the 4-argument form). */
  public static Fabric8Executor open(
      ConnectionSettings settings, Duration requestTimeout, int maxInFlight) {
    return new Fabric8Executor(settings.toConfig(), requestTimeout, maxInFlight);
  }

  /**
   * Connects as {@code settings} say with at most {@code conns} connections (kperf's {@code
   * connsPerRunner}/{@code conns}); zero or less: unbounded, as {@link #open(ConnectionSettings,
   * Duration, int)}.
   *
   * <ul>
   *   <li>HTTP/2 (JDK client): {@code conns} clients, one connection each; a call goes to the
   *       one with the fewest calls open. The cap is {@code min(maxInFlight, conns x }{@value
   *       #HTTP2_STREAMS_PER_CONNECTION}{@code )}, so with least-loaded placement no connection
   *       carries more than its share of it.
   *   <li>HTTP/1.1 (Vert.x): one client whose pool holds at most {@code conns} connections, and
   *       a cap of {@code min(maxInFlight, conns)}: as with Go's {@code MaxConnsPerHost}, calls
   *       beyond the connections wait for one (here in our queue, so the wait is lag). WATCHes
   *       that find no free slot go to a second, unbounded pool, as they always opened their own
   *       connections (they would otherwise wait behind watches that never end).
   * </ul>
   */
  public static Fabric8Executor open(
      ConnectionSettings settings, Duration requestTimeout, int maxInFlight, int conns) {
    Config config = settings.toConfig();
    if (conns <= 0) {
      return new Fabric8Executor(config, requestTimeout, maxInFlight);
    }
    List<KubernetesClient> clients = new ArrayList<>();
    int cap;
    Config overflowConfig = null;
    if (usesHttp2(config)) {
      for (int i = 0; i < conns; i++) {
        clients.add(newClient(i == 0 ? config : settings.toConfig(), 0));
      }
      cap = capped(maxInFlight, (long) conns * HTTP2_STREAMS_PER_CONNECTION);
    } else {
      clients.add(newClient(config, conns));
      cap = capped(maxInFlight, conns);
      overflowConfig = settings.toConfig();
    }
    return new Fabric8Executor(clients, true, requestTimeout, cap, overflowConfig);
  }

  private static int capped(int maxInFlight, long bound) {
    return (int) (maxInFlight > 0 ? Math.min(maxInFlight, bound) : bound);
  }

  /**
   * Uses a fabric8 configuration as it is, except that request retries are turned off in it.
   *
   * @param requestTimeout per-call timeout for non-WATCH calls; zero or null for none
   * @param maxInFlight cap on non-WATCH calls in flight; zero or less for none
   */
  public Fabric8Executor(Config config, Duration requestTimeout, int maxInFlight) {
    this(List.of(newClient(config, 0)), true, requestTimeout, maxInFlight, null);
  }

  /**
   * A fabric8 client for replaying as {@code settings} say (request retries off), to share
   * between executors with {@link #sharing}: one client is one connection pool (Vert.x) or one
   * connection (JDK, HTTP/2).
   */
  public static KubernetesClient newClient(ConnectionSettings settings) {
    return newClient(settings.toConfig(), 0);
  }

  /** {@code pool}: Vert.x's connections per server; 0 for its fixed 8192. */
  private static KubernetesClient newClient(Config config, int pool) {
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(httpClientFactory(config, pool))
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
  static io.fabric8.kubernetes.client.http.HttpClient.Factory httpClientFactory(Config config, int pool) {
    if (!usesHttp2(config)) {
      return new PooledVertxFactory(pool);
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
    return new Fabric8Executor(List.of(client), false, requestTimeout, maxInFlight, null);
  }

  private Fabric8Executor(
      List<KubernetesClient> clients, boolean ownsClient, Duration requestTimeout, int maxInFlight,
      Config overflowConfig) {
    this.clients = clients;
    this.ownsClient = ownsClient;
    this.connections = new HttpClient[clients.size()];
    this.openOn = new AtomicInteger[clients.size()];
    for (int i = 0; i < connections.length; i++) {
      connections[i] = clients.get(i).getHttpClient();
      openOn[i] = new AtomicInteger();
    }
    this.overflowConfig = overflowConfig;
    KubernetesClient client = clients.get(0);
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
    CallFuture future = new CallFuture(watch, call.isWatchList(), this::ended);
    live.add(future);
    if (watch) {
      // Never the last free slot: a shard whose every connection held a watch would send
      // nothing else until the watches end.
      boolean pooled = limit.tryAcquire(1);
      if (pooled) {
        future.holdsSlot.set(true);
        pooledWatches.incrementAndGet();
      } else {
        ownWatches.incrementAndGet();
      }
      start(call, deadlineNanos, future, !pooled && overflowConfig != null);
    } else {
      limit.submit(
          () -> {
            future.holdsSlot.set(true);
            start(call, deadlineNanos, future, false);
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
    int on = future.connection.getAndSet(-1);
    if (on >= 0) {
      openOn[on].decrementAndGet();
    }
    if (future.holdsSlot.compareAndSet(true, false)) {
      limit.release();
    }
  }

  /**
   * The connection with the fewest calls open (ties: the first), counted as taken. Chosen under
   * a lock so two calls starting at once cannot both take the same least-loaded connection and
   * push it past its share.
   */
  private int leastLoaded() {
    if (openOn.length == 1) {
      openOn[0].incrementAndGet();
      return 0;
    }
    synchronized (openOn) {
      return leastLoadedLocked();
    }
  }

  private int leastLoadedLocked() {
    int best = 0;
    for (int i = 1; i < openOn.length; i++) {
      if (openOn[i].get() < openOn[best].get()) {
        best = i;
      }
    }
    openOn[best].incrementAndGet();
    return best;
  }

  private HttpClient overflow() {
    KubernetesClient c = overflow;
    if (c == null) {
      synchronized (this) {
        c = overflow;
        if (c == null) {
          overflow = c = newClient(overflowConfig, 0);
        }
      }
    }
    return c.getHttpClient();
  }

  private void start(HttpCall call, long deadlineNanos, CallFuture future, boolean outsidePool) {
    if (future.hasEnded()) { // stopped or cancelled while it waited for a slot
      releaseSlot(future);
      return;
    }
    HttpClient http;
    if (outsidePool) {
      http = overflow();
    } else {
      int on = leastLoaded();
      future.connection.set(on);
      http = connections[on];
      if (future.hasEnded()) { // ended meanwhile: give the connection back
        releaseSlot(future);
        return;
      }
    }
    startOn(http, call, deadlineNanos, future);
  }

  private void startOn(HttpClient http, HttpCall call, long deadlineNanos, CallFuture future) {
    HttpRequest request;
    try {
      request = request(http, call);
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
                      future.finish(
                          !HttpResponse.isSuccessful(code) ? ErrorKeys.ofStatus(code)
                              : call.isWatchList() ? WATCH_LIST_CUT_SHORT : null);
                    } else {
                      fail(future, bodyFailure);
                    }
                  });
          body.consume();
        });
  }

  private HttpRequest request(HttpClient http, HttpCall call) {
    HttpRequest.Builder b =
        http.newHttpRequestBuilder()
            .uri(URI.create(baseUrl + call.pathAndQuery()))
            .method(call.method(), call.contentType(), call.body())
            .setHeader("Accept", call.accept());
    if (call.isWatch() || call.isWatchList()) {
      b.forStreaming(); // a watch-list's timeout is our own timer (scheduleEnd)
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
      clients.forEach(KubernetesClient::close);
    }
    KubernetesClient o = overflow;
    if (o != null) {
      o.close();
    }
  }

  /** Connections calls are spread over (HTTP/2 with conns: one client each; else 1). */
  public int connections() {
    return connections.length;
  }

  /** The in-flight cap in force (0: none), after conns and the HTTP/2 stream bound. */
  public int maxInFlight() {
    return limit.max();
  }

  /**
   * Opens the connections before the replay's first request, so it does not pay for TCP, TLS
   * and ALPN: {@code call} is sent once on every HTTP/2 connection, and on HTTP/1.1 as many
   * times at once as the pool will hold connections (the in-flight cap, at most {@value
   * #PRE_OPENED_MAX}), which opens that many. Completes when all have ended. Not measured.
   *
   * <p>Measured without it (the sending half at 8,000 req/s on nginx, after the JIT warm-up):
   * p50 lag 0.3 s for the first 4 s, while the shards' pools grew to 64 connections each.
   */
  public CompletableFuture<Void> warmUp(HttpCall call) {
    boolean http2 = usesHttp2(clients.get(0).getConfiguration());
    int perConnection = http2 ? 1 : Math.max(1, Math.min(PRE_OPENED_MAX, limit.max()));
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < connections.length; i++) {
      for (int k = 0; k < perConnection; k++) {
        CallFuture f = new CallFuture(false, this::ended);
        live.add(f);
        openOn[i].incrementAndGet();
        f.connection.set(i);
        startOn(connections[i], call, NO_DEADLINE, f);
        all.add(f);
      }
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
  }

  /**
   * At most this many HTTP/1.1 connections per executor are opened ahead of the start: enough
   * for a shard at thousands of requests a second, and not a burst of handshakes the API server
   * would feel (a pool that needs more grows during the replay).
   */
  static final int PRE_OPENED_MAX = 64;
}
