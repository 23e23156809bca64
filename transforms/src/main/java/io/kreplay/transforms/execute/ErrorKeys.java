package io.kreplay.transforms.execute;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * kperf's error keys, {@code <type>/<detail>}, checked in kperf's order: an HTTP status
 * ({@code http/<code>}), an HTTP/2 stream or connection error ({@code http2-protocol/<message>}), a
 * connection problem ({@code connection/<message>}), anything else ({@code unknown/<message>}).
 *
 * <p>Connection details are a short fixed vocabulary (refused, reset, timeout, eof, ...), not
 * exception messages, so the keys stay few and group well in a report. HTTP/2 and connection
 * errors are recognised by class name as well as by type because the HTTP client is chosen at
 * run time (fabric8's Vert.x client is on the runtime classpath only, and the JDK or OkHttp
 * clients throw their own types).
 */
public final class ErrorKeys {
  public static final String TIMEOUT = "connection/timeout";
  static final int MAX_DETAIL = 120;

  private ErrorKeys() {}

  public static String ofStatus(int status) {
    return "http/" + status;
  }

  /** Classifies a failure; the message is cut short and must be redacted by the caller. */
  public static String of(Throwable failure) {
    Throwable t = unwrap(failure);
    // Root cause first: wrappers repeat their cause's text with their class name in front.
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = t; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(0, c);
    }
    for (Throwable c : chain) {
      String http2 = http2(c);
      if (http2 != null) {
        // kperf's error type for the HTTP/2 layer is "http2-protocol" (api/types/metric.go).
        return "http2-protocol/" + http2;
      }
    }
    for (Throwable c : chain) {
      // The JDK client wraps a refused connect with a closed-channel cause; refusal is the news.
      if (lower(c.getMessage()).contains("connection refused")) {
        return "connection/refused";
      }
    }
    for (Throwable c : chain) {
      String conn = connection(c);
      if (conn != null) {
        return "connection/" + conn;
      }
    }
    String msg = t.getMessage();
    String detail = t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    return "unknown/" + shorten(detail);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static String http2(Throwable t) {
    String name = t.getClass().getSimpleName();
    String msg = lower(t.getMessage());
    // Vert.x StreamResetException, Netty Http2Exception; the JDK client says "RST_STREAM" or
    // "GOAWAY" in an IOException; OkHttp throws StreamResetException with "stream was reset".
    if (name.equals("StreamResetException")
        || name.startsWith("Http2")
        || msg.contains("rst_stream")
        || msg.contains("goaway")
        || msg.contains("stream was reset")
        // JDK 17's client, past the server's SETTINGS_MAX_CONCURRENT_STREAMS (it does not queue)
        || msg.contains("too many concurrent streams")) {
      return shorten(t.getMessage() == null ? name : t.getMessage());
    }
    return null;
  }

  private static String connection(Throwable t) {
    String name = t.getClass().getSimpleName();
    String msg = lower(t.getMessage());
    if (t instanceof TimeoutException
        || t instanceof SocketTimeoutException
        || name.contains("Timeout")
        || msg.contains("timed out")
        || msg.contains("timeout period")) {
      return "timeout";
    }
    if (msg.contains("connection refused")) {
      return "refused";
    }
    if (msg.contains("connection reset") || msg.contains("broken pipe")) {
      return "reset";
    }
    if (t instanceof UnknownHostException) {
      return "unknown host";
    }
    if (t instanceof NoRouteToHostException || msg.contains("unreachable")) {
      return "unreachable";
    }
    if (t instanceof SSLException) {
      return "tls";
    }
    if (t instanceof EOFException
        || name.equals("HttpClosedException")
        || name.equals("ClosedChannelException")
        || msg.contains("connection was closed")
        || msg.contains("received no bytes") // JDK: "HTTP/1.1 header parser received no bytes"
        || msg.contains("eof reached")
        || msg.contains("connection closed")) {
      return "eof";
    }
    if (t instanceof ConnectException) {
      return "connect failed";
    }
    return null;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  static String shorten(String s) {
    String oneLine = s.replace('\n', ' ').replace('\r', ' ');
    return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL) + "...";
  }
}
