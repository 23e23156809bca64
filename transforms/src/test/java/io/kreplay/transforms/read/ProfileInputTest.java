package io.kreplay.transforms.read;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.kreplay.transforms.model.ReplayRequest;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Opening profiles through {@link ProfileReader#open}: URLs served by a local HTTP server (on
 * 127.0.0.1 only), local files, gzip detection by content, the size limits and the errors.
 */
public class ProfileInputTest {
  private static final String SECRET = "SECRET-c0ffee";
  private static final int SAMPLE_REQUESTS = 18;
  private static final long MIB = 1 << 20;
  /** Decompressed size of the gzip bomb. */
  private static final long BOMB_BYTES = 50 * MIB;
  /**
   * What the gzip bombs are made of: blank lines of spaces. Not one long line: SnakeYAML scans a
   * single line of blanks in quadratic time, which would make these tests about the parser.
   */
  private static final byte[] BLANK_LINES = blankLines();

  /** A guard against hangs only: no test measures time. */
  @Rule public final Timeout hangGuard = Timeout.seconds(30);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static byte[] yaml;
  private static byte[] gzipped;
  private static byte[] bomb;

  private HttpServer server;
  private ExecutorService handlers;
  private volatile boolean stopping;
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Closeable> toClose = new CopyOnWriteArrayList<>();
  private final List<String> requestedUris = new CopyOnWriteArrayList<>();

  @BeforeClass
  public static void setUpClass() throws IOException {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    yaml = Files.readAllBytes(sample("pod-lifecycle.yaml"));
    gzipped = gzip(yaml);
    bomb = gzippedBlankLines(BOMB_BYTES);
  }

  @Before
  public void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(loopback(), 0), 0);
    handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers);
    server.start();
  }

  @After
  public void stopServer() {
    stopping = true;
    release.countDown();
    for (Closeable c : toClose) {
      try {
        c.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
    server.stop(0);
    handlers.shutdownNow();
  }

  // ---------------------------------------------------------------- reading what is there

  @Test
  public void plainYamlOverUrlReadsAllRequests() throws Exception {
    Result fromUrl = read(serve("/pod-lifecycle.yaml", body(200, yaml, false)), limits());
    fromUrl.assertNoProblems();
    assertThat(fromUrl.requests, hasSize(SAMPLE_REQUESTS));

    Result fromFile = read(sample("pod-lifecycle.yaml").toString(), limits());
    fromFile.assertNoProblems();
    assertThat(fromUrl.requests, equalTo(fromFile.requests));
  }

  @Test
  public void plainYamlOverChunkedUrlReadsAllRequests() throws Exception {
    Result r = read(serve("/chunked", body(200, yaml, true)), limits());
    r.assertNoProblems();
    assertThat(r.requests, hasSize(SAMPLE_REQUESTS));
  }

  @Test
  public void gzipOverUrlIsDetectedByContentNotName() throws Exception {
    assertThat(Arrays.copyOf(gzipped, 2), equalTo(new byte[] {0x1f, (byte) 0x8b}));
    Result plain = read(sample("pod-lifecycle.yaml").toString(), limits());
    for (String name : new String[] {"/profile", "/pod-lifecycle.yaml"}) {
      Result r = read(serve(name, body(200, gzipped, false)), limits());
      r.assertNoProblems();
      assertThat(name, r.requests, hasSize(SAMPLE_REQUESTS));
      assertThat(name, r.requests, equalTo(plain.requests));
    }
  }

  @Test
  public void gzipSamplesOnDiskAreDetectedByContent() throws Exception {
    Result plain = read(sample("pod-lifecycle.yaml").toString(), limits());
    for (String name : new String[] {"pod-lifecycle-compressed.profile", "pod-lifecycle.yaml.gz"}) {
      Path p = sample(name);
      assertThat(Arrays.copyOf(Files.readAllBytes(p), 2), equalTo(new byte[] {0x1f, (byte) 0x8b}));
      Result r = read(p.toString(), limits());
      r.assertNoProblems();
      assertThat(name, r.requests, equalTo(plain.requests));
    }
  }

  @Test
  public void plainFileNamedGzIsReadAsPlain() throws Exception {
    Path p = tmp.getRoot().toPath().resolve("x.yaml.gz");
    Files.write(p, yaml);
    Result r = read(p.toString(), limits());
    r.assertNoProblems();
    assertThat(r.requests, hasSize(SAMPLE_REQUESTS));
  }

  @Test
  public void gzipFileNamedYamlIsGunzipped() throws Exception {
    Path p = tmp.getRoot().toPath().resolve("x.yaml");
    Files.write(p, gzipped);
    Result r = read(p.toString(), limits());
    r.assertNoProblems();
    assertThat(r.requests, hasSize(SAMPLE_REQUESTS));
  }

  @Test
  public void missingLocalFileIsOneProblem() throws Exception {
    Result r = read(tmp.getRoot().toPath().resolve("nope.yaml").toString(), limits());
    r.assertOneProblem(containsString("no such file"));
    assertThat(r.requests, empty());
  }

  // ---------------------------------------------------------------- URLs that fail

  @Test
  public void http404IsOneProblem() throws Exception {
    Result r = read(serve("/missing.yaml", body(404, new byte[0], false)), limits());
    r.assertOneProblem(containsString("HTTP 404"));
    assertThat(r.requests, empty());
  }

  @Test
  public void signedUrlSecretIsSentButNeverShown() throws Exception {
    String url = serve("/signed.yaml", body(404, new byte[0], false)) + "?sig=" + SECRET + "&exp=1";
    Result r = read(url, limits());
    r.assertOneProblem(containsString("HTTP 404"));
    // The real URL went out; only what is shown is redacted.
    assertThat(requestedUris.toString(), containsString("sig=" + SECRET));
    r.assertSecretNotShown();
  }

  @Test
  public void unreachableHostIsOneProblem() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, loopback())) {
      port = s.getLocalPort();
    }
    Result r = read("http://127.0.0.1:" + port + "/p.yaml?sig=" + SECRET, limits());
    r.assertOneProblem(containsString("unreachable"));
    r.assertSecretNotShown();
    assertThat(r.requests, empty());
  }

  @Test
  public void serverThatNeverAnswersTimesOut() throws Exception {
    ServerSocket silent = new ServerSocket(0, 50, loopback());
    toClose.add(silent);
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (!stopping) {
                  Socket s = silent.accept(); // accepted, never read from or answered
                  toClose.add(s);
                }
              } catch (IOException closed) {
                // the test is over
              }
            },
            "silent-server");
    acceptor.setDaemon(true);
    acceptor.start();

    String url = "http://127.0.0.1:" + silent.getLocalPort() + "/p.yaml?sig=" + SECRET;
    Result r = read(url, limits(16 * MIB, 16 * MIB, 2_000, 300));
    r.assertOneProblem(anyOf(containsString("timed out"), containsString("no answer")));
    r.assertSecretNotShown();
    assertThat(r.requests, empty());
  }

  @Test
  public void serverThatStallsMidBodyTimesOut() throws Exception {
    String url =
        serve(
            "/stalls.yaml",
            exchange -> {
              exchange.sendResponseHeaders(200, yaml.length);
              OutputStream out = exchange.getResponseBody();
              out.write(yaml, 0, yaml.length / 2);
              out.flush();
              try {
                release.await(); // until the test is over
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Result r = read(url, limits(16 * MIB, 16 * MIB, 2_000, 300));
    r.assertOneProblem(anyOf(containsString("timed out"), containsString("no answer")));
    assertThat(r.requests.size(), lessThan(SAMPLE_REQUESTS));
  }

  // ---------------------------------------------------------------- size limits

  @Test
  public void contentLengthOverMaxDownloadBytesIsRejectedUpFront() throws Exception {
    long announced = 5 * MIB;
    String url =
        serve(
            "/big.yaml",
            exchange -> {
              exchange.sendResponseHeaders(200, announced);
              writeUntilClosed(exchange.getResponseBody(), padding(), announced);
            });
    Result r = read(url, limits(1 * MIB, 16 * MIB, 2_000, 5_000));
    // The message of the check made on Content-Length, before any byte of the body is read.
    r.assertOneProblem(containsString(announced + " bytes is larger than --maxDownloadBytes=" + MIB));
    assertThat(r.requests, empty());
  }

  @Test
  public void chunkedBodyPastMaxDownloadBytesFails() throws Exception {
    // No Content-Length, and a body that never ends: only the byte count can stop the read.
    String url =
        serve(
            "/endless.yaml",
            exchange -> {
              exchange.sendResponseHeaders(200, 0);
              writeUntilClosed(exchange.getResponseBody(), padding(), 1L << 40);
            });
    Result r = read(url, limits(1 * MIB, 16 * MIB, 2_000, 5_000));
    r.assertOneProblem(containsString("larger than --maxDownloadBytes=" + MIB));
    assertThat(r.requests, empty());
  }

  @Test
  public void localFilePastMaxDownloadBytesFails() throws Exception {
    Path p = tmp.getRoot().toPath().resolve("big.yaml");
    Files.write(p, yaml);
    Result r = read(p.toString(), limits(yaml.length - 1, 16 * MIB, 2_000, 5_000));
    r.assertOneProblem(containsString("--maxDownloadBytes=" + (yaml.length - 1)));
  }

  @Test
  public void limitsOfExactlyTheSizeAreEnough() throws Exception {
    String url = serve("/exact.yaml", body(200, gzipped, true));
    Result r = read(url, limits(gzipped.length, yaml.length, 2_000, 5_000));
    r.assertNoProblems();
    assertThat(r.requests, hasSize(SAMPLE_REQUESTS));
  }

  @Test
  public void gzipBombOverUrlStopsAtMaxDecompressedBytes() throws Exception {
    assertThat((long) bomb.length, lessThan(1 * MIB)); // small on the wire: only the YAML limit can trip
    String url = serve("/bomb", body(200, bomb, false));
    Result r = read(url, limits(16 * MIB, 1 * MIB, 2_000, 5_000));
    r.assertOneProblem(containsString("--maxDecompressedBytes=" + MIB));
    assertThat(r.requests, empty());
  }

  @Test
  public void gzipBombFileStopsAtMaxDecompressedBytes() throws Exception {
    Path p = tmp.getRoot().toPath().resolve("bomb.yaml");
    Files.write(p, bomb);
    Result r = read(p.toString(), limits(16 * MIB, 1 * MIB, 2_000, 5_000));
    r.assertOneProblem(containsString("--maxDecompressedBytes=" + MIB));
  }

  @Test
  public void endlessGzipStreamStopsAtMaxDecompressedBytes() throws Exception {
    // A gzip stream that never ends: finishing at all shows the reader stopped at the limit
    // rather than reading everything.
    String url =
        serve(
            "/endless-bomb",
            exchange -> {
              exchange.sendResponseHeaders(200, 0);
              try (GZIPOutputStream gz = new GZIPOutputStream(exchange.getResponseBody(), 1 << 16)) {
                writeUntilClosed(gz, BLANK_LINES, 1L << 40);
              } catch (IOException closedByClient) {
                // expected
              }
            });
    Result r = read(url, limits(1L << 40, 1 * MIB, 2_000, 5_000));
    r.assertOneProblem(containsString("--maxDecompressedBytes=" + MIB));
  }

  @Test
  public void truncatedGzipOverUrlIsReported() throws Exception {
    byte[] half = Arrays.copyOf(gzipped, gzipped.length / 2);
    Result r = read(serve("/half", body(200, half, false)), limits());
    r.assertOneProblem(containsString("truncated gzip"));
    assertThat(r.requests.size(), lessThan(SAMPLE_REQUESTS));
  }

  @Test
  public void truncatedGzipFileIsReported() throws Exception {
    Path p = tmp.getRoot().toPath().resolve("half.yaml");
    Files.write(p, Arrays.copyOf(gzipped, gzipped.length / 2));
    Result r = read(p.toString(), limits());
    r.assertOneProblem(containsString("truncated gzip"));
    assertThat(r.requests.size(), lessThan(SAMPLE_REQUESTS));
  }

  // ---------------------------------------------------------------- helpers

  private static final class Result {
    final List<ReplayRequest> requests = new ArrayList<>();
    final ProfileProblems problems = new ProfileProblems();

    void assertNoProblems() {
      assertThat(problems.shown, empty());
      assertThat(problems.total, equalTo(0L));
    }

    void assertOneProblem(org.hamcrest.Matcher<String> matcher) {
      assertThat(problems.describe(), problems.shown, hasSize(1));
      assertThat(problems.total, equalTo(1L));
      assertThat(problems.shown.get(0), matcher);
    }

    void assertSecretNotShown() {
      for (String line : problems.shown) {
        assertThat(line, not(containsString(SECRET)));
      }
      assertThat(problems.describe(), not(containsString(SECRET)));
    }
  }

  private static Result read(String location, ReadLimits limits) throws IOException {
    Result r = new Result();
    try (ProfileReader reader = ProfileReader.open(new ProfileSource(0, location), limits, r.problems)) {
      for (ReplayRequest q; (q = reader.next()) != null; ) {
        r.requests.add(q);
      }
    }
    return r;
  }

  private static ReadLimits limits() {
    return limits(16 * MIB, 16 * MIB, 2_000, 5_000);
  }

  private static ReadLimits limits(long download, long decompressed, int connectMs, int readMs) {
    return new ReadLimits(download, decompressed, connectMs, readMs);
  }

  /** Serves {@code handler} at {@code path}; the URL is always on 127.0.0.1. */
  private String serve(String path, HttpHandler handler) {
    server.createContext(
        path,
        exchange -> {
          requestedUris.add(String.valueOf(exchange.getRequestURI()));
          try {
            handler.handle(exchange);
          } catch (IOException clientWentAway) {
            // expected when the reader gives up
          } finally {
            exchange.close();
          }
        });
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private static HttpHandler body(int status, byte[] body, boolean chunked) {
    return exchange -> {
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : chunked ? 0 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    };
  }

  /** Writes {@code block} over and over, up to {@code max} bytes, until the reader goes away. */
  private void writeUntilClosed(OutputStream out, byte[] block, long max) throws IOException {
    long written = 0;
    while (!stopping && written < max) {
      int n = (int) Math.min(block.length, max - written);
      out.write(block, 0, n);
      written += n;
    }
    out.flush();
  }

  /** YAML comment lines: valid, so only a limit can stop the read. */
  private static byte[] padding() {
    byte[] line = "# padding padding padding padding padding padding padding padding\n"
        .getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < 1000; i++) {
      out.write(line, 0, line.length);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  private static byte[] blankLines() {
    byte[] block = new byte[1 << 16];
    Arrays.fill(block, (byte) ' ');
    for (int i = 79; i < block.length; i += 80) {
      block[i] = '\n';
    }
    return block;
  }

  /** {@code n} bytes of blank lines, gzip'd. */
  private static byte[] gzippedBlankLines(long n) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes, 1 << 16)) {
      for (long left = n; left > 0; left -= BLANK_LINES.length) {
        gz.write(BLANK_LINES, 0, (int) Math.min(BLANK_LINES.length, left));
      }
    }
    return bytes.toByteArray();
  }

  private static InetAddress loopback() throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
  }

  /** A file of the repository's samples folder, found from the module's working directory up. */
  private static Path sample(String name) {
    Path start = Paths.get("").toAbsolutePath();
    for (Path d = start; d != null; d = d.getParent()) {
      Path p = d.resolve("samples").resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new AssertionError("samples/" + name + " not found from " + start);
  }
}
