package io.kreplay.transforms.replay;

import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms this JVM's sending path before the shared start, once per JVM: a short replay of
 * synthetic requests through the very code a replay runs ({@link ShardRun}'s sender thread,
 * fabric8's HTTP client on Vert.x, the in-flight cap, the measurements) against a null API
 * server inside this JVM, on loopback. The target never sees these requests and the report
 * never counts them.
 *
 * <p>Why: a cold JVM runs the send path interpreted and compiles it while the replay is already
 * due. Measured (the sending half alone at 4,000 req/s against nginx on loopback, 2 cores): lag
 * at the server p50 1.2 s / p99 1.5 s over the first 2 s, p99 0.4 s until 6 s, then p50 1 ms.
 * The JIT compiler took about a third of the CPU of a 15 s run.
 *
 * <p>It runs on its own daemon thread, started by the first shard of the JVM, and stops a
 * margin before the shared start (or after {@link ReplaySettings#warmUpRequests}, default {@value #MAX_REQUESTS}), so runner threads never wait
 * for it and it never competes with the replay itself. Covered: our code, fabric8's {@code
 * StandardHttpClient}, Vert.x and Netty's HTTP/1.1 client; not the JDK client's TLS and HTTP/2
 * code (the null server is cleartext).
 */
final class SenderWarmUp {
  private static final Logger LOG = LoggerFactory.getLogger(SenderWarmUp.class);

  /** The default: enough for C2 to compile the hot path (its thresholds are ~10-15k calls). */
  static final int MAX_REQUESTS = 30_000;
  /** The warm-up ends this long before the shared start, and is skipped with less time left. */
  static final long MARGIN_MICROS = 1_000_000;
  /** Less time than this before the margin and the warm-up is skipped (a cold JVM's set-up alone takes ~1-2 s). */
  static final long MIN_WINDOW_MICROS = 1_500_000;

  private static Thread thread;

  private SenderWarmUp() {}

  /** Starts the JVM's warm-up for a replay starting as {@code settings} say; once per JVM. */
  static synchronized void startOnce(ReplaySettings settings) {
    if (thread != null || settings.warmUpRequests <= 0) {
      return;
    }
    long untilMicros = settings.startEpochMicros - MARGIN_MICROS;
    thread = new Thread(() -> run(settings, untilMicros), "kreplay-warm-up");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits for this JVM's warm-up, if any, to end (tests, benchmarks). */
  static void await() throws InterruptedException {
    Thread t;
    synchronized (SenderWarmUp.class) {
      t = thread;
    }
    if (t != null) {
      t.join();
    }
  }

  /** Replays up to {@code settings.warmUpRequests} against an in-JVM null server until {@code untilMicros}. */
  static WarmUpResult run(ReplaySettings settings, long untilMicros) {
    long left = untilMicros - ReplayClock.nowEpochMicros();
    if (left < MIN_WINDOW_MICROS) {
      LOG.info("sender warm-up skipped: {} ms to the shared start", (left + MARGIN_MICROS) / 1000);
      return new WarmUpResult(0, 0, 0);
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      HttpServer server =
          vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
              .requestHandler(req -> req.response().putHeader("Content-Type", "application/json").end(NULL_RESPONSE));
      server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return replay(settings, "http://127.0.0.1:" + server.actualPort(), untilMicros);
    } catch (Exception e) {
      LOG.warn("sender warm-up failed, replaying cold: {}", e.toString());
      return new WarmUpResult(0, 0, 0);
    } finally {
      vertx.close();
    }
  }

  private static WarmUpResult replay(ReplaySettings settings, String url, long untilMicros) throws InterruptedException {
    long t0 = ReplayClock.nowEpochMicros();
    ReplaySettings local =
        new ReplaySettings(
            "warm-up-" + System.nanoTime(), ConnectionSettings.masterUrl(url), settings.protobuf,
            settings.maxInFlightPerShard, settings.requestTimeoutMillis, t0, untilMicros, untilMicros, settings.flushMillis, 0)
        .withConns(settings.connsPerShard);
    long sent = 0;
    long ok = 0;
    try (ShardRun run = ShardRun.quiet(local, 0)) {
      // Closed loop: as fast as answers come, a few in-flight caps ahead and no more, so a
      // slow (cold, busy) JVM warms at the pace it can and stops on time.
      long ahead = Math.max(32, 2L * Math.max(1, settings.maxInFlightPerShard));
      while (sent < settings.warmUpRequests && ReplayClock.nowEpochMicros() < untilMicros) {
        if (run.pending() >= ahead) {
          Thread.sleep(1);
          continue;
        }
        run.schedule(request(sent), ReplayClock.nowEpochMicros());
        sent++;
      }
      while (!run.idle() && ReplayClock.nowEpochMicros() < untilMicros) {
        Thread.sleep(5);
      }
      HistogramSet measured = run.drain(); // measured like a replay's, then thrown away
      ok = measured == null ? 0 : measured.rollUp(-1).ok();
    }
    long micros = ReplayClock.nowEpochMicros() - t0;
    LOG.info(String.format(Locale.ROOT, "sender warm-up: %d requests (%d ok) to an in-JVM null server in %.1f s",
        sent, ok, micros / 1e6));
    return new WarmUpResult(sent, ok, micros);
  }

  private static final String NULL_RESPONSE = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\"}";
  private static final String POD = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"w\"}}";
  private static final Verb[] VERBS = {
    Verb.GET, Verb.LIST, Verb.CREATE, Verb.PATCH, Verb.APPLY, Verb.DELETE, Verb.DELETECOLLECTION
  };

  /** A mix of every verb but WATCH (which would stay open), with kperf-shaped paths. */
  static ReplayRequest request(long i) {
    Verb verb = VERBS[(int) (i % VERBS.length)];
    String name = "w" + (i % 64);
    boolean named = verb == Verb.GET || verb == Verb.PATCH || verb == Verb.APPLY || verb == Verb.DELETE;
    String path = "/api/v1/namespaces/warm-up/pods" + (named ? "/" + name : "");
    String selector = verb == Verb.LIST || verb == Verb.DELETECOLLECTION ? "app=warm-up" : "";
    return new ReplayRequest(0, i, i, verb, "warm-up", "pods", named ? name : "", path,
        verb.requiresBody() ? POD : "", selector);
  }

  /** What a warm-up did: requests sent, answered ok, and how long it took. */
  static final class WarmUpResult {
    final long requests;
    final long ok;
    final long micros;

    WarmUpResult(long requests, long ok, long micros) {
      this.requests = requests;
      this.ok = ok;
      this.micros = micros;
    }
  }
}
