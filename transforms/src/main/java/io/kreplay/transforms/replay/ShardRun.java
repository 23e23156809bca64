package io.kreplay.transforms.replay;

import io.kreplay.transforms.execute.CallFuture;
import io.kreplay.transforms.execute.CallResult;
import io.kreplay.transforms.execute.Fabric8Executor;
import io.kreplay.transforms.execute.HttpCall;
import io.kreplay.transforms.execute.RequestBuilder;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.Outcome;
import io.kreplay.transforms.measure.ShardMeasurements;
import io.kreplay.transforms.model.ReplayRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One shard's replay inside this JVM: its executor (fabric8 client, in-flight cap), the timer
 * that fires each request at its exact instant, and what has been measured since the last
 * {@link #drain()}. A deliberate per-JVM resource: it outlives DoFn invocations (the pacer
 * resumes many times) and is found again by (run, shard).
 */
final class ShardRun implements AutoCloseable {
  private static final Map<String, ShardRun> RUNS = new ConcurrentHashMap<>();

  /** One timer thread per JVM: its tasks only start non-blocking sends. */
  private static final ScheduledThreadPoolExecutor SENDER = newSender();

  /** System.nanoTime() minus wall-clock epoch nanos, fixed once per JVM. */
  private static final long NANO_OFFSET = System.nanoTime() - ReplayClock.nowEpochMicros() * 1_000;

  private final String key;
  private final ReplaySettings settings;
  private final Fabric8Executor executor;
  /** Load-profile phases with their own settings get their own client (cap, HTTP/2 setting). */
  private final Map<Integer, Fabric8Executor> phaseExecutors = new ConcurrentHashMap<>();
  private final long deadlineNanos;
  private final Set<CallFuture> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong scheduled = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final ShardMeasurements measured;
  /** Spacing of sends under --maxQps (0: no cap); slots are only touched on the sender thread. */
  private final long intervalNanos;
  private long nextSlotNanos = Long.MIN_VALUE;

  private ShardRun(String key, int shard, ReplaySettings settings) {
    this.key = key;
    this.settings = settings;
    this.executor =
        Fabric8Executor.open(
            settings.target, Duration.ofMillis(settings.requestTimeoutMillis), settings.maxInFlightPerShard);
    this.deadlineNanos = toNanoTime(settings.deadlineEpochMicros);
    this.intervalNanos = settings.maxQpsPerShard > 0 ? Math.round(1e9 / settings.maxQpsPerShard) : 0;
    this.measured = new ShardMeasurements(settings.measure, shard, toNanoTime(settings.startEpochMicros));
    // Warm the client before the shared start (class loading, event loop, first connection):
    // otherwise the first replayed request pays ~0.5 s for it and can time out. One GET
    // /version per shard, not measured.
    executor.execute(RequestBuilder.build(WARM_UP, false));
    // Load-profile phases with their own settings get their own client, made and warmed here
    // rather than on the sender thread when the phase begins.
    settings.phases.forEach((phase, p) -> {
      Fabric8Executor e =
          Fabric8Executor.open(
              settings.target.disableHttp2(p.disableHttp2), Duration.ofMillis(settings.requestTimeoutMillis),
              p.maxInFlightPerShard);
      e.execute(RequestBuilder.build(WARM_UP, false));
      phaseExecutors.put(phase, e);
    });
  }

  private static final ReplayRequest WARM_UP =
      new ReplayRequest(-1, -1, 0, io.kreplay.transforms.model.Verb.GET, "", "warm-up", "version", "/version", "", "");

  static ShardRun of(ReplaySettings settings, int shard) {
    String key = settings.runId + "/" + shard;
    Progress.start(settings.startEpochMicros, settings.endEpochMicros, ShardRun::pendingInJvm);
    return RUNS.computeIfAbsent(key, k -> new ShardRun(k, shard, settings));
  }

  private static long pendingInJvm() {
    return RUNS.values().stream().mapToLong(ShardRun::pending).sum();
  }

  static long toNanoTime(long epochMicros) {
    return epochMicros * 1_000 + NANO_OFFSET;
  }

  /** Counts {@code request} as skipped without sending it (the replay is stopping). */
  void skip(ReplayRequest request, long dueEpochMicros) {
    scheduled.incrementAndGet();
    HttpCall call = RequestBuilder.build(request, protobuf(request.phase()));
    record(Outcome.skipped(request.phase(), call.reportMethod(), call.maskedUrl(), toNanoTime(dueEpochMicros), "stopped"));
  }

  /** Fires {@code request} at {@code dueEpochMicros}; returns at once. */
  void schedule(ReplayRequest request, long dueEpochMicros) {
    scheduled.incrementAndGet();
    long intended = toNanoTime(dueEpochMicros);
    SENDER.schedule(() -> send(request, intended), intended - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  /**
   * Runs on the sender thread at the request's instant. Under a rate cap, a request whose slot
   * is not yet open is put back until it is: it leaves late (its lag is measured), never dropped,
   * and slots are taken in arrival order so per-object order holds.
   */
  private void send(ReplayRequest request, long intended) {
    if (intervalNanos > 0) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextSlotNanos);
      nextSlotNanos = slot + intervalNanos;
      if (slot - now > 50_000) {
        SENDER.schedule(() -> dispatch(request, intended), slot - now, TimeUnit.NANOSECONDS);
        return;
      }
    }
    dispatch(request, intended);
  }

  private void dispatch(ReplayRequest request, long intended) {
    HttpCall call;
    try {
      call = RequestBuilder.build(request, protobuf(request.phase()));
    } catch (RuntimeException e) {
      record(Outcome.failed(request.phase(), request.verb().name(), request.apiPath(), intended, intended, intended,
          "unknown/bad request", 0, 0));
      return;
    }
    if (System.nanoTime() >= deadlineNanos || ReplayStop.requested(settings.runId)) {
      record(Outcome.skipped(request.phase(), call.reportMethod(), call.maskedUrl(), intended, "deadline"));
      return;
    }
    send(request, call, intended, 0, CallResult.NEVER);
  }

  /**
   * Sends {@code call}; a 429 with Retry-After is sent again after that wait, up to the phase's
   * maxRetries (kperf's meaning, client-go's rule), and ends as one outcome counting its retries,
   * timed from the first send.
   */
  private void send(ReplayRequest request, HttpCall call, long intended, int attempt, long firstSent) {
    PhaseSettings phase = settings.phases.get(request.phase());
    CallFuture f = executorFor(request.phase()).execute(call, deadlineNanos);
    open.add(f);
    f.whenComplete((result, error) -> {
      open.remove(f);
      long first = firstSent != CallResult.NEVER || result == null ? firstSent : result.sentNanos();
      long wait = result == null ? -1 : result.retryAfterMillis();
      if (phase != null && attempt < phase.maxRetries && wait >= 0
          && System.nanoTime() + wait * 1_000_000 - deadlineNanos < 0 && !ReplayStop.requested(settings.runId)) {
        SENDER.schedule(() -> send(request, call, intended, attempt + 1, first), wait, TimeUnit.MILLISECONDS);
        return;
      }
      record(outcome(request, call, intended, result, attempt, first));
    });
  }

  private boolean protobuf(int phase) {
    PhaseSettings p = settings.phases.get(phase);
    return p == null ? settings.protobuf : p.protobuf;
  }

  private Fabric8Executor executorFor(int phase) {
    return phaseExecutors.getOrDefault(phase, executor);
  }

  private static Outcome outcome(
      ReplayRequest request, HttpCall call, long intended, CallResult r, int retries, long firstSent) {
    int phase = request.phase();
    if (r == null || r.sentNanos() == CallResult.NEVER) {
      return Outcome.skipped(phase, call.reportMethod(), call.maskedUrl(), intended, "never sent");
    }
    // A WATCH's latency is its time to response headers (kperf's rule).
    long end = r.isWatch() && r.headersNanos() != CallResult.NEVER ? r.headersNanos() : r.completedNanos();
    long sent = firstSent != CallResult.NEVER ? firstSent : r.sentNanos();
    return r.isSuccess()
        ? Outcome.ok(phase, call.reportMethod(), call.maskedUrl(), intended, sent, end, r.bytesReceived(), retries)
        : Outcome.failed(phase, call.reportMethod(), call.maskedUrl(), intended, sent, end, r.errorKey(),
            r.bytesReceived(), retries);
  }

  private synchronized void record(Outcome o) {
    measured.add(o);
    finished.incrementAndGet();
    if (o.result() != Outcome.Result.SKIPPED) {
      Progress.sent(o.lagMicrosOrZero());
    }
    if (o.result() != Outcome.Result.OK) {
      Progress.failed();
    }
  }

  /** What was measured since the last drain; null when nothing was. */
  synchronized HistogramSet drain() {
    return measured.drain();
  }

  /** Every scheduled request has an outcome. */
  boolean idle() {
    return finished.get() == scheduled.get();
  }

  long pending() {
    return scheduled.get() - finished.get();
  }

  /** Ends what is still open (WATCHes as successes, the rest as failed). */
  void stopAll() {
    open.forEach(CallFuture::stop);
  }

  @Override
  public void close() {
    RUNS.remove(key, this);
    executor.close();
    phaseExecutors.values().forEach(Fabric8Executor::close);
    synchronized (this) {
      measured.close();
    }
    if (RUNS.isEmpty()) {
      Progress.stop();
    }
  }

  private static ScheduledThreadPoolExecutor newSender() {
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = Executors.defaultThreadFactory().newThread(r);
              t.setName("kreplay-sender");
              t.setDaemon(true);
              return t;
            });
    s.setRemoveOnCancelPolicy(true);
    return s;
  }
}
