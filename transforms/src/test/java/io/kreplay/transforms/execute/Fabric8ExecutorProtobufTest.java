package io.kreplay.transforms.execute;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PfxOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * contentType: protobuf through both HTTP clients: the server sees client-go's Accept header,
 * and a binary protobuf answer (kube-apiserver's {@code k8s\0} envelope, with NULs, newlines and
 * bytes that are not UTF-8) is counted byte for byte as a success, never parsed as JSON. A
 * loopback Vert.x server stands in for kube-apiserver (none is available here).
 */
public class Fabric8ExecutorProtobufTest {
  @Rule public Timeout guard = Timeout.seconds(60);
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final byte[] BODY = protobufBody();
  private final AtomicReference<String> accept = new AtomicReference<>();
  private final AtomicReference<HttpVersion> version = new AtomicReference<>();
  private Vertx vertx;
  private String url;

  private static byte[] protobufBody() {
    byte[] b = new byte[5_000];
    b[0] = 'k';
    b[1] = '8';
    b[2] = 's';
    b[3] = 0;
    for (int i = 4; i < b.length; i++) {
      b[i] = (byte) (i * 31); // every byte value: NUL, '\n', '{', 0xff ...
    }
    return b;
  }

  @Before
  public void startVertx() {
    vertx = Vertx.vertx();
  }

  @After
  public void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private void startServer(boolean tls) throws Exception {
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
    if (tls) {
      options.setSsl(true).setUseAlpn(true)
          .setKeyCertOptions(new PfxOptions().setPath(Fabric8ExecutorHttp2Test.selfSigned(tmp.getRoot()))
              .setPassword("changeit"));
    }
    HttpServer server = vertx.createHttpServer(options);
    server.requestHandler(
        req -> {
          accept.set(req.getHeader("Accept"));
          version.set(req.version());
          req.response().putHeader("Content-Type", "application/vnd.kubernetes.protobuf").end(Buffer.buffer(BODY));
        });
    server.listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    url = (tls ? "https" : "http") + "://127.0.0.1:" + server.actualPort() + "/";
  }

  private CallResult listPods() throws Exception {
    HttpCall list =
        RequestBuilder.build(
            new ReplayRequest(0, 0, 0, Verb.LIST, "test", "Pod", "", "/api/v1/namespaces/test/pods", "", ""), true);
    try (Fabric8Executor e =
        Fabric8Executor.open(
            ConnectionSettings.masterUrl(url).insecureSkipTlsVerify(true), Duration.ofSeconds(10), 4, 1)) {
      return e.execute(list).get(20, TimeUnit.SECONDS);
    }
  }

  private void assertCountedAsProtobuf(CallResult r) {
    assertNull(r.toString(), r.errorKey());
    assertEquals(200, r.status());
    assertEquals("every byte of the binary body counted", BODY.length, r.bytesReceived());
    assertEquals("application/vnd.kubernetes.protobuf, application/json", accept.get());
  }

  @Test
  public void http11VertxClient() throws Exception {
    startServer(false);
    assertCountedAsProtobuf(listPods());
    assertEquals(HttpVersion.HTTP_1_1, version.get());
  }

  @Test
  public void http2JdkClient() throws Exception {
    startServer(true);
    assertCountedAsProtobuf(listPods());
    assertEquals(HttpVersion.HTTP_2, version.get());
  }
}
