package io.kreplay.transforms.execute;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.netty.util.Timeout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The pending outcome of one call, and the handle to end it early. It always completes
 * normally with a {@link CallResult} (failures are results, not exceptions), exactly once,
 * from whichever comes first: the response ending, a failure, the timeout or deadline, or
 * {@link #stop()}.
 *
 * <p>Completion runs dependents on the HTTP client's event-loop thread: keep them short and
 * non-blocking, or use the {@code *Async} variants.
 */
public final class CallFuture extends CompletableFuture<CallResult> {
  static final String CANCELLED = "unknown/cancelled";

  private final boolean watch;
  private final Consumer<CallFuture> onEnd;
  // True while this call holds a slot of the in-flight cap; released exactly once.
  final AtomicBoolean holdsSlot = new AtomicBoolean();
  // Which of the executor's connections carries it (-1: none counted); given back exactly once.
  final AtomicInteger connection = new AtomicInteger(-1);
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong events = new AtomicLong();
  private final AtomicReference<AsyncBody> body = new AtomicReference<>();
  private final AtomicBoolean streamEnded = new AtomicBoolean();
  // Decides the one way this call ends, before completion, so that everything ending
  // involves (timer, stream, in-flight slot) is released by the time anyone sees the result.
  private final AtomicBoolean ending = new AtomicBoolean();
  private volatile long sentNanos = CallResult.NEVER;
  private volatile long headersNanos = CallResult.NEVER;
  private volatile int status;
  private volatile long retryAfterMillis = -1;
  private volatile Timeout timer;
  private final CompletableFuture<Void> answered = new CompletableFuture<>();

  CallFuture(boolean watch, Consumer<CallFuture> onEnd) {
    this(watch, false, onEnd);
  }

  /** {@code watchList}: ends as a success at the initial-events-end bookmark. */
  CallFuture(boolean watch, boolean watchList, Consumer<CallFuture> onEnd) {
    this.watch = watch;
    this.onEnd = onEnd;
    this.initialEventsEnd = watchList ? new InitialEventsEnd() : null;
  }

  /** A watch-list's bookmark finder; null for other calls. */
  private final InitialEventsEnd initialEventsEnd;

  /**
   * Ends the call now. A WATCH ends as a success — a watch closed by the replay, at its end or
   * its deadline, did its job (kperf's rule); any other call ends as failed
   * ({@value #CANCELLED}). No effect once the call has ended.
   */
  public void stop() {
    finish(watch ? null : CANCELLED);
  }

  /** Also closes the HTTP stream; the future then completes with a CancellationException. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (!ending.compareAndSet(false, true)) {
      return false;
    }
    ended();
    answered.complete(null);
    return super.cancel(mayInterruptIfRunning);
  }

  /**
   * Completes when the server has answered: response headers arrived, or the call ended
   * without them. For a WATCH that is long before the call ends.
   */
  public CompletableFuture<Void> answered() {
    return answered;
  }

  /** Progress of a call still open (tests watch a WATCH through these). */
  long headersNanosSoFar() {
    return headersNanos;
  }

  long eventsSoFar() {
    return events.get();
  }

  // ---- called by Fabric8Executor ----

  /** True from the moment the call's end is decided, a little before it completes. */
  boolean hasEnded() {
    return ending.get();
  }

  void sent(long nanos) {
    sentNanos = nanos;
  }

  void timer(Timeout t) {
    timer = t;
    if (ending.get()) {
      t.cancel();
    }
  }

  void bytes(List<ByteBuffer> buffers) {
    boolean initialEventsEnded = false;
    for (ByteBuffer b : buffers) {
      bytes.addAndGet(b.remaining());
      if (initialEventsEnd != null && !initialEventsEnded) {
        initialEventsEnded = initialEventsEnd.feed(b);
      }
      if (watch || initialEventsEnd != null) {
        long newlines = 0;
        for (int i = b.position(); i < b.limit(); i++) {
          if (b.get(i) == '\n') {
            newlines++;
          }
        }
        events.addAndGet(newlines);
      }
    }
    if (initialEventsEnded) {
      finish(null); // the watch-list is done; the stream is closed by finish
    }
  }

  /** Headers arrived; if the call already ended (timeout, stop), close what just opened. */
  void headers(int code, AsyncBody asyncBody) {
    headersNanos = System.nanoTime();
    status = code;
    body.set(asyncBody);
    if (ending.get()) {
      asyncBody.cancel();
    }
    answered.complete(null);
  }

  /** A 429's Retry-After header (seconds, as Kubernetes sends it); ignored when not a number. */
  void retryAfter(String header) {
    if (header == null) {
      return;
    }
    try {
      retryAfterMillis = Math.max(0, Math.round(Double.parseDouble(header.trim()) * 1000));
    } catch (NumberFormatException e) {
      // an HTTP date: not what an API server sends; no retry
    }
  }

  /** The server finished the body: nothing left to close. */
  void streamEnded() {
    streamEnded.set(true);
  }

  /** Completes with the given error key (null: success); false if it had already ended. */
  boolean finish(String errorKey) {
    CallResult r =
        new CallResult(
            watch,
            status,
            bytes.get(),
            events.get(),
            sentNanos,
            headersNanos,
            System.nanoTime(),
            errorKey,
            retryAfterMillis);
    if (!ending.compareAndSet(false, true)) {
      return false;
    }
    ended();
    answered.complete(null);
    return complete(r);
  }

  private void ended() {
    Timeout t = timer;
    if (t != null) {
      t.cancel();
    }
    AsyncBody b = body.get();
    if (b != null && !streamEnded.get()) {
      b.cancel();
    }
    onEnd.accept(this);
  }
}
