package io.kreplay.transforms.execute;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.Test;

/** Exceptions the HTTP clients throw, mapped to kperf's keys (HTTP/2 before connection). */
public class ErrorKeysTest {
  /** Stands in for Vert.x's and OkHttp's exception of the same name. */
  static final class StreamResetException extends IOException {
    StreamResetException(String message) {
      super(message);
    }
  }

  @Test
  public void classifies() {
    assertEquals("http/503", ErrorKeys.ofStatus(503));
    assertEquals(
        "connection/refused",
        ErrorKeys.of(new CompletionException(new ConnectException("Connection refused: /127.0.0.1:1"))));
    assertEquals("connection/reset", ErrorKeys.of(new IOException("Connection reset by peer")));
    assertEquals("connection/timeout", ErrorKeys.of(new TimeoutException("The timeout period of 300ms has been exceeded")));
    assertEquals("connection/timeout", ErrorKeys.of(new SocketTimeoutException("Read timed out")));
    assertEquals("connection/eof", ErrorKeys.of(new EOFException()));
    assertEquals("connection/unknown host", ErrorKeys.of(new UnknownHostException("nowhere")));
    assertEquals("connection/tls", ErrorKeys.of(new SSLHandshakeException("PKIX path building failed")));
    assertEquals("http2-protocol/Stream reset: 8", ErrorKeys.of(new StreamResetException("Stream reset: 8")));
    assertEquals(
        "http2-protocol/Received RST_STREAM: Refused stream",
        ErrorKeys.of(new IOException(new IOException("Received RST_STREAM: Refused stream"))));
    assertEquals("unknown/IllegalStateException: odd", ErrorKeys.of(new IllegalStateException("odd")));
  }

  @Test
  public void unknownDetailIsOneShortLine() {
    String key = ErrorKeys.of(new RuntimeException("line1\nline2 " + "x".repeat(500)));
    assertTrue(key, key.length() <= "unknown/".length() + ErrorKeys.MAX_DETAIL + 3);
    assertTrue(key, !key.contains("\n"));
  }
}
