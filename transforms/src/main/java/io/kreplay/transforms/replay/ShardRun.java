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
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.util.concurrent.ThreadFactoryBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shard's replay inside this JVM: its executor (fabric8 client, in-flight cap), its sender
 * thread that fires each request at its exact instant, and what has been measured since the
 * last {@link #drain()}. A deliberate per-JVM resource: it outlives DoFn invocations (the pacer
 * resumes many times) and is found again by (run, shard).
 *
 * <p>The sender is wrk2's pattern: requests arrive from the pacer in due order, already built
 * into HTTP calls, and one thread per shard parks until the head of the queue is due (spinning
 * the last few microseconds), sends it without blocking, and moves on. It replaced one timer
 * thread per JVM with a {@code ScheduledThreadPoolExecutor} task per request, which could not
 * keep up past ~1,500 req/s (see DEVELOPERS.md, Replay throughput).
 */
final class ShardRun implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardRun.class);
  private static final Map<String, ShardRun> RUNS = new ConcurrentHashMap<>();

  /** System.nanoTime() minus wall-clock epoch nanos, fixed once per JVM. */
  private static final long NANO_OFFSET = System.nanoTime() - ReplayClock.nowEpochMicros() * 1_000;

  /** Park until this close to a request's instant, then spin: parkNanos overshoots ~50-100 µs. */
  static final long SPIN_NANOS = 50_000;
  /** How long an idle sender parks before looking again (a new request also wakes it). */
  private static final long IDLE_PARK_NANOS = 20_000_000;

  /**
   * Under --ordering=strict, where a request waiting for its object's previous one is started:
   * off the HTTP client's threads, and never recursively (a long chain ending at once, e.g. at
   * the deadline, would otherwise nest one call per request).
   */
  private static final Executor ORDERED_STARTS =
      Executors.newSingleThreadExecutor(
          new ThreadFactoryBuilder().setNameFormat("kreplay-ordered-starts").setDaemon(true).build());

  /** 429 retries wait here for their Retry-After, off the sender's due-ordered queue. */
  private static final ScheduledExecutorService RETRIES =
      Executors.newSingleThreadScheduledExecutor(
          new ThreadFactoryBuilder().setNameFormat("kreplay-retries").setDaemon(true).build());

  private final String key;
  /** False for the sender warm-up's run: not in the progress line, not found by (run, shard). */
  private final boolean counted;
  private final ReplaySettings settings;
  private final Fabric8Executor executor;
  /** Load-profile phases with their own settings get their own client (cap, HTTP/2 setting). */
  private final Map<Integer, Fabric8Executor> phaseExecutors = new ConcurrentHashMap<>();
  private final long deadlineNanos;
  private final Set<CallFuture> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong scheduled = new AtomicLong();
  private final AtomicLong finished = new AtomicLong();
  private final Set<CallFuture> openWatches = ConcurrentHashMap.newKeySet();
  private final AtomicLong watchEvents = new AtomicLong();
  private final ShardMeasurements measured;
  /**
   * Scheduled requests without an outcome yet: leaving this set is what gives a request its
   * one outcome (its own, or {@link #abandonUnfinished}'s), so it is never counted twice.
   */
  private final Set<Due> unfinished = ConcurrentHashMap.newKeySet();
  /** Requests handed on by the pacer and not yet due, in due order (the pacer's order). */
  private final Queue<Due> queue = new ConcurrentLinkedQueue<>();
  private final Thread sender;
  private volatile boolean closed;
  /** Under --ordering=strict: per object, when its latest released request is done. */
  private final Map<String, CompletableFuture<Void>> lastOfObject = new ConcurrentHashMap<>();
  /** Spacing of sends under --maxQps (0: no cap); only touched on the sender thread. */
  private final long intervalNanos;
  private long nextSlotNanos = Long.MIN_VALUE;

  /** A request with its prebuilt call (null if it could not be built) and its instant. */
  private static final class Due {
    final ReplayRequest request;
    final HttpCall call;
    final long intended;
    CompletableFuture<Void> done; // strict ordering only

    Due(ReplayRequest request, HttpCall call, long intended) {
      this.request = request;
      this.call = call;
      this.intended = intended;
    }
  }

  private ShardRun(String key, int shard, ReplaySettings settings, boolean counted) {
    this.key = key;
    this.counted = counted;
    this.settings = settings;
    // Each shard has its own connections (kperf's connsPerRunner: each runner its own); Vert.x
    // clients share one event loop group per JVM (PooledVertxFactory).
    this.executor =
        Fabric8Executor.open(
            settings.target, Duration.ofMillis(settings.requestTimeoutMillis), settings.maxInFlightPerShard,
            settings.connsPerShard);
    this.deadlineNanos = toNanoTime(settings.deadlineEpochMicros);
    this.intervalNanos = settings.maxQpsPerShard > 0 ? Math.round(1e9 / settings.maxQpsPerShard) : 0;
    this.measured = new ShardMeasurements(settings.measure, shard, toNanoTime(settings.startEpochMicros));
    // Warm the client before the shared start (class loading, event loop, first connection):
    // otherwise the first replayed request pays ~0.5 s for it and can time out. One GET
    // /version per connection of the shard, not measured.
    executor.warmUp(RequestBuilder.build(WARM_UP, false));
    this.sender = new Thread(this::sendLoop, "kreplay-sender-" + key);
    sender.setDaemon(true);
    sender.start();
    // Load-profile phases with their own settings get their own client, made and warmed here
    // rather than on the sender thread when the phase begins.
    settings.phases.forEach((phase, p) -> {
      Fabric8Executor e =
          Fabric8Executor.open(
              settings.target.disableHttp2(p.disableHttp2), Duration.ofMillis(settings.requestTimeoutMillis),
              p.maxInFlightPerShard, p.connsPerShard);
      e.warmUp(RequestBuilder.build(WARM_UP, false));
      phaseExecutors.put(phase, e);
    });
  }

  private static final ReplayRequest WARM_UP =
      new ReplayRequest(-1, -1, 0, io.kreplay.transforms.model.Verb.GET, "", "warm-up", "version", "/version", "", "");

  static ShardRun of(ReplaySettings settings, int shard) {
    String key = settings.runId + "/" + shard;
    SenderWarmUp.startOnce(settings);
    Progress.start(settings.startEpochMicros, settings.endEpochMicros, ShardRun::pendingInJvm);
    return RUNS.computeIfAbsent(key, k -> {
      HeapGuard.arm(settings.runId, settings.heapStopFraction);
      return new ShardRun(k, shard, settings, true);
    });
  }

  /** A shard run outside the progress line and the (run, shard) registry: the sender warm-up's. */
  static ShardRun quiet(ReplaySettings settings, int shard) {
    return new ShardRun(settings.runId + "/" + shard, shard, settings, false);
  }

  private static long pendingInJvm() {
    return RUNS.values().stream().mapToLong(ShardRun::pending).sum();
  }

  static long toNanoTime(long epochMicros) {
    return epochMicros * 1_000 + NANO_OFFSET;
  }

  /** Counts {@code request} as skipped without sending it (the replay is stopping, {@code reason}). */
  void skip(ReplayRequest request, long dueEpochMicros, String reason) {
    scheduled.incrementAndGet();
    HttpCall call = RequestBuilder.build(request, protobuf(request.phase()));
    record(Outcome.skipped(request.phase(), call.reportMethod(), call.maskedUrl(), toNanoTime(dueEpochMicros), reason));
  }

  /**
   * Fires {@code request} at {@code dueEpochMicros}; returns at once. Calls come in due order
   * (the pacer's), and the call is built here, on the runner's thread, ahead of its instant.
   */
  void schedule(ReplayRequest request, long dueEpochMicros) {
    scheduled.incrementAndGet();
    long intended = toNanoTime(dueEpochMicros);
    HttpCall call;
    try {
      call = RequestBuilder.build(request, protobuf(request.phase()));
    } catch (RuntimeException e) {
      call = null; // counted as failed at its instant, like any other outcome
    }
    Due due = new Due(request, call, intended);
    unfinished.add(due);
    queue.add(due);
    LockSupport.unpark(sender);
  }

  /** The shard's sender thread: each request at its instant, in order, never blocking on I/O. */
  private void sendLoop() {
    while (!closed) {
      Due next = queue.peek();
      if (next == null) {
        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
        continue;
      }
      long at = next.intended;
      if (intervalNanos > 0) {
        // Under a rate cap a request whose slot is not open yet leaves at its slot: late (its
        // lag is measured), never dropped, and in order.
        at = Math.max(at, nextSlotNanos);
      }
      if (!waitUntil(at)) {
        continue; // woken early (new request, close): look again
      }
      queue.poll();
      if (intervalNanos > 0) {
        nextSlotNanos = Math.max(System.nanoTime(), nextSlotNanos) + intervalNanos;
      }
      release(next);
    }
  }

  /** Parks, then spins, until {@code nanoTime}; false if it returned early to look again. */
  private static boolean waitUntil(long nanoTime) {
    long wait = nanoTime - System.nanoTime();
    if (wait > SPIN_NANOS) {
      LockSupport.parkNanos(wait - SPIN_NANOS);
      return false;
    }
    while (System.nanoTime() - nanoTime < 0) {
      Thread.onSpinWait();
    }
    return true;
  }

  /** Due now: send it, or under strict ordering once its object's previous request is done. */
  private void release(Due due) {
    if (!settings.strictOrdering) {
      dispatch(due);
      return;
    }
    String object = due.request.objectKey();
    due.done = new CompletableFuture<>();
    CompletableFuture<Void> previous = lastOfObject.put(object, due.done);
    due.done.whenComplete((x, e) -> lastOfObject.remove(object, due.done));
    if (previous == null || previous.isDone()) {
      dispatch(due);
    } else {
      // The wait is lag: the request leaves late and its latency counts from its instant.
      previous.whenCompleteAsync((x, e) -> dispatch(due), ORDERED_STARTS);
    }
  }

  private void dispatch(Due due) {
    ReplayRequest request = due.request;
    HttpCall call = due.call;
    long intended = due.intended;
    if (call == null) {
      done(due, Outcome.failed(request.phase(), request.verb().name(), request.apiPath(), intended, intended, intended,
          "unknown/bad request", 0, 0));
      return;
    }
    if (System.nanoTime() >= deadlineNanos || ReplayStop.requested(settings.runId)) {
      done(due, Outcome.skipped(request.phase(), call.reportMethod(), call.maskedUrl(), intended, "deadline"));
      return;
    }
    send(due, 0, CallResult.NEVER);
  }

  /**
   * Sends a due request; a 429 with Retry-After is sent again after that wait, up to the phase's
   * maxRetries (kperf's meaning, client-go's rule), and ends as one outcome counting its retries,
   * timed from the first send. Retries wait on their own timer, not in the sender's due-ordered
   * queue; under strict ordering the object's next request waits for the last attempt.
   */
  private void send(Due due, int attempt, long firstSent) {
    ReplayRequest request = due.request;
    HttpCall call = due.call;
    PhaseSettings phase = settings.phases.get(request.phase());
    CallFuture f = executorFor(request.phase()).execute(call, deadlineNanos);
    open.add(f);
    if (call.isWatch()) {
      openWatches.add(f);
      if (due.done != null) {
        // The object's next request may go once this WATCH has its headers: it stays open
        // until the end. Other calls release it when they are done, retries included.
        f.answered().whenComplete((x, e) -> due.done.complete(null));
      }
    }
    f.whenComplete((result, error) -> {
      open.remove(f);
      if (openWatches.remove(f) && result != null) {
        watchEvents.addAndGet(result.events());
      }
      long first = firstSent != CallResult.NEVER || result == null ? firstSent : result.sentNanos();
      long wait = result == null ? -1 : result.retryAfterMillis();
      if (phase != null && attempt < phase.maxRetries && wait >= 0
          && System.nanoTime() + wait * 1_000_000 - deadlineNanos < 0 && !ReplayStop.requested(settings.runId)) {
        RETRIES.schedule(() -> send(due, attempt + 1, first), wait, TimeUnit.MILLISECONDS);
        return;
      }
      done(due, outcome(request, call, due.intended, result, attempt, first));
    });
  }

  private boolean protobuf(int phase) {
    PhaseSettings p = settings.phases.get(phase);
    return p == null ? settings.protobuf : p.protobuf;
  }

  private Fabric8Executor executorFor(int phase) {
    return phaseExecutors.getOrDefault(phase, executor);
  }

  /** Counts {@code o} as the request's one outcome; false if it already had one. */
  private boolean done(Due due, Outcome o) {
    if (!unfinished.remove(due)) {
      return false; // already counted (by abandonUnfinished)
    }
    record(o);
    if (due.done != null) {
      due.done.complete(null);
    }
    return true;
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
    if (!counted) {
      return;
    }
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

  /**
   * At the replay's end: when nothing but WATCHes is still open, closes them (as successes,
   * kperf's rule) rather than holding the run until the deadline. True if it closed any.
   */
  boolean closeWatchesIfOnlyTheyRemain() {
    int watches = openWatches.size();
    if (watches == 0 || pending() != watches) {
      return false;
    }
    openWatches.forEach(CallFuture::stop);
    return true;
  }

  /**
   * The last resort once the deadline and its grace are past: every scheduled request still
   * without an outcome (a call whose client never reported back even after it was stopped) is
   * counted as failed with {@value #NO_OUTCOME}, its latency running to now, so the report's
   * total still adds up. An outcome that arrives later is ignored. Returns how many it counted.
   */
  int abandonUnfinished() {
    int n = 0;
    long now = System.nanoTime();
    for (Due due : unfinished) {
      ReplayRequest r = due.request;
      String method = due.call == null ? r.verb().name() : due.call.reportMethod();
      String url = due.call == null ? r.apiPath() : due.call.maskedUrl();
      if (done(due, Outcome.failed(r.phase(), method, url, due.intended, due.intended, now, NO_OUTCOME, 0, 0))) {
        n++;
      }
    }
    return n;
  }

  static final String NO_OUTCOME = "unknown/no outcome by the deadline";

  /** Ends what is still open (WATCHes as successes, the rest as failed). */
  void stopAll() {
    open.forEach(CallFuture::stop);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    RUNS.remove(key, this);
    if (RUNS.keySet().stream().noneMatch(k -> k.startsWith(settings.runId + "/"))) {
      HeapGuard.disarm(settings.runId);
    }
    closed = true;
    LockSupport.unpark(sender);
    executor.close();
    phaseExecutors.values().forEach(Fabric8Executor::close);
    synchronized (this) {
      measured.close();
    }
    if (executor.pooledWatches() + executor.ownWatches() > 0) {
      LOG.info("{}: {} watches ({} on the shard's connections, {} on their own), {} events received",
          key, executor.pooledWatches() + executor.ownWatches(), executor.pooledWatches(), executor.ownWatches(),
          watchEvents.get());
    }
    if (counted && RUNS.isEmpty()) {
      Progress.stop();
    }
  }
}
