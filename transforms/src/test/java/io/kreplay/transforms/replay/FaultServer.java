package io.kreplay.transforms.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server that misbehaves on purpose, chosen by the last path segment:
 * {@code ok-*} 200 with JSON, {@code e500}/{@code e503} those codes, {@code e429} 429 with
 * Retry-After, {@code once429*} 429 with Retry-After: 0 the first time a path is asked for and
 * 200 after, {@code slow} never answers, {@code reset} resets the connection.
 */
final class FaultServer implements AutoCloseable {
  private final ServerSocket socket;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fault-server");
    t.setDaemon(true);
    return t;
  });
  /** Replayed requests seen: everything but GET /version (the shards' connection warm-ups). */
  final AtomicInteger received = new AtomicInteger();
  /** Paths of {@code once429*} requests seen: each gets one 429 (Retry-After: 0), then 200. */
  private final java.util.Set<String> firstArrival = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** System.nanoTime() of each replayed request's arrival (not GET /version). */
  final java.util.Queue<Long> arrivals = new java.util.concurrent.ConcurrentLinkedQueue<>();

  FaultServer() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.submit(this::acceptLoop);
  }

  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try {
        Socket s = socket.accept();
        pool.submit(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s) {
    try (Socket conn = s) {
      BufferedReader in = new BufferedReader(new InputStreamReader(conn.getInputStream(), StandardCharsets.ISO_8859_1));
      OutputStream out = conn.getOutputStream();
      String requestLine;
      while ((requestLine = in.readLine()) != null) {
        int length = 0;
        for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
          if (h.toLowerCase().startsWith("content-length:")) {
            length = Integer.parseInt(h.substring(15).trim());
          }
        }
        for (int i = 0; i < length; i++) {
          in.read();
        }
        String path = requestLine.split(" ")[1];
        if (!path.equals("/version")) {
          received.incrementAndGet();
          arrivals.add(System.nanoTime());
        }
        String last = path.replaceAll("\\?.*", "").replaceAll(".*/", "");
        if (last.startsWith("once429") && firstArrival.add(path)) {
          respond(out, 429, "Too Many Requests", "Retry-After: 0\r\n", "{}");
          continue;
        }
        switch (last) {
          case "slow":
            Thread.sleep(60_000);
            return;
          case "reset":
            conn.setSoLinger(true, 0);
            return; // closing with linger 0 sends RST
          case "e500":
            respond(out, 500, "Internal Server Error", "", "{}");
            break;
          case "e503":
            respond(out, 503, "Service Unavailable", "", "{}");
            break;
          case "e429":
            respond(out, 429, "Too Many Requests", "Retry-After: 1\r\n", "{}");
            break;
          default:
            respond(out, 200, "OK", "", "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + last + "\"}}");
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away, or the server is closing
    }
  }

  private static void respond(OutputStream out, int code, String reason, String extra, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    out.write(("HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: application/json\r\n" + extra
        + "Content-Length: " + b.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
    pool.shutdownNow();
  }
}
