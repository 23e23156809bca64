package io.kreplay.transforms.measure;

/**
 * How one scheduled request ended. Times are monotonic nanoseconds on the executing JVM.
 *
 * <ul>
 *   <li>latency = completed − intended: what a user waiting for the request saw, including any
 *       time it was held back; coordinated-omission safe (wrk2's rule);
 *   <li>service = completed − sent: the server's answer time, what kperf reports;
 *   <li>lag = sent − intended: how late the request left.
 * </ul>
 */
public final class Outcome {
  public enum Result {
    OK,
    FAILED,
    SKIPPED
  }

  final int phase;
  final String method;
  final String url;
  final long intendedNanos;
  final long sentNanos;
  final long completedNanos;
  final Result result;
  final String errorKey;
  final long bytes;
  final int retries;

  private Outcome(
      int phase, String method, String url, long intendedNanos, long sentNanos, long completedNanos,
      Result result, String errorKey, long bytes, int retries) {
    this.phase = phase;
    this.method = method;
    this.url = url;
    this.intendedNanos = intendedNanos;
    this.sentNanos = sentNanos;
    this.completedNanos = completedNanos;
    this.result = result;
    this.errorKey = errorKey;
    this.bytes = bytes;
    this.retries = retries;
  }

  public static Outcome ok(
      int phase, String method, String url, long intended, long sent, long completed, long bytes, int retries) {
    return new Outcome(phase, method, url, intended, sent, completed, Result.OK, null, bytes, retries);
  }

  /** {@code errorKey} in kperf's form: {@code http/<code>}, {@code connection/<msg>}, ... */
  public static Outcome failed(
      int phase, String method, String url, long intended, long sent, long completed, String errorKey,
      long bytes, int retries) {
    return new Outcome(phase, method, url, intended, sent, completed, Result.FAILED, errorKey, bytes, retries);
  }

  /** Never sent (deadline, cancellation): counted, but in no latency histogram. */
  public static Outcome skipped(int phase, String method, String url, long intended, String reason) {
    return new Outcome(phase, method, url, intended, -1, -1, Result.SKIPPED, reason, 0, 0);
  }

  public Result result() {
    return result;
  }

  /** Send lag in µs; 0 for a request never sent. */
  public long lagMicrosOrZero() {
    return result == Result.SKIPPED ? 0 : lagMicros();
  }

  long latencyMicros() {
    return Math.max(0, completedNanos - intendedNanos) / 1_000;
  }

  long serviceMicros() {
    return Math.max(0, completedNanos - sentNanos) / 1_000;
  }

  long lagMicros() {
    return Math.max(0, sentNanos - intendedNanos) / 1_000;
  }
}
