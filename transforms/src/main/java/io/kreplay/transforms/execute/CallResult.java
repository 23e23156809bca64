package io.kreplay.transforms.execute;

/**
 * What happened to one {@link HttpCall}. Times are {@link System#nanoTime()} readings so they
 * can be compared with the scheduler's intended send time on the same JVM.
 *
 * <p>{@code errorKey} is null on success, else one of kperf's error keys ({@link ErrorKeys}).
 * A WATCH ended by its deadline or by {@link CallFuture#stop()} is a success (kperf's rule).
 */
public final class CallResult {
  /** Marks a time that was never reached (no response headers, for instance). */
  public static final long NEVER = Long.MIN_VALUE;

  private final boolean watch;
  private final int status;
  private final long bytesReceived;
  private final long events;
  private final long sentNanos;
  private final long headersNanos;
  private final long completedNanos;
  private final String errorKey;
  private final long retryAfterMillis;

  CallResult(
      boolean watch,
      int status,
      long bytesReceived,
      long events,
      long sentNanos,
      long headersNanos,
      long completedNanos,
      String errorKey,
      long retryAfterMillis) {
    this.watch = watch;
    this.status = status;
    this.bytesReceived = bytesReceived;
    this.events = events;
    this.sentNanos = sentNanos;
    this.headersNanos = headersNanos;
    this.completedNanos = completedNanos;
    this.errorKey = errorKey;
    this.retryAfterMillis = retryAfterMillis;
  }

  /**
   * A 429's Retry-After in milliseconds, or -1 when the response was no 429 or had no (valid)
   * Retry-After: a load profile's maxRetries retries only then (client-go's rule).
   */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }

  public boolean isSuccess() {
    return errorKey == null;
  }

  /** The HTTP status, or 0 when no response arrived. */
  public int status() {
    return status;
  }

  /** Body bytes received (for a failed call too: they crossed the wire). */
  public long bytesReceived() {
    return bytesReceived;
  }

  /** WATCH only: newline-terminated events received (JSON watch streams; 0 for protobuf). */
  public long events() {
    return events;
  }

  /** When the call was handed to the HTTP client. */
  public long sentNanos() {
    return sentNanos;
  }

  /** When the response headers arrived, or {@link #NEVER}. */
  public long headersNanos() {
    return headersNanos;
  }

  /** When the call ended: body read, failed, timed out or (WATCH) stopped. */
  public long completedNanos() {
    return completedNanos;
  }

  /** kperf's error key ({@code http/503}, {@code connection/refused}, ...), or null. */
  public String errorKey() {
    return errorKey;
  }

  public boolean isWatch() {
    return watch;
  }

  /**
   * Service time as kperf reports it: send to completion, or for a WATCH send to headers (to
   * the stop when the watch never got headers, which is what kperf measures then).
   */
  public long serviceNanos() {
    long end = watch && headersNanos != NEVER ? headersNanos : completedNanos;
    return end - sentNanos;
  }

  @Override
  public String toString() {
    return "CallResult{status="
        + status
        + ", "
        + (errorKey == null ? "ok" : errorKey)
        + ", bytes="
        + bytesReceived
        + (watch ? ", events=" + events : "")
        + ", serviceMs="
        + serviceNanos() / 1_000_000.0
        + '}';
  }
}
