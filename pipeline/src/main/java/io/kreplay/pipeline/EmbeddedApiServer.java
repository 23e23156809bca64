package io.kreplay.pipeline;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * The target when none is given: fabric8's Kubernetes mock API server in CRUD mode on
 * loopback, a real HTTP server that stores objects and answers GET, LIST with selectors,
 * POST, PATCH and DELETE.
 *
 * <p>It is not kube-apiserver: strategic-merge patches and server-side apply are applied as
 * JSON merge patches here (the mock would answer 415), and it serves WATCH only over WebSocket,
 * so a replayed WATCH gets 400. Good enough to try kreplay and see its reports; capacity
 * numbers come from a real cluster.
 */
final class EmbeddedApiServer implements AutoCloseable {
  /** Kept so the level sticks: the mock logs every request through java.util.logging. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;

  private EmbeddedApiServer() {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new MergePatchCrud(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  static EmbeddedApiServer start() {
    return new EmbeddedApiServer();
  }

  String url() {
    String u = server.url("/");
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  @Override
  public void close() {
    server.destroy();
  }

  /** Treats strategic-merge and apply patches as merge patches, which the mock understands. */
  static final class MergePatchCrud extends KubernetesCrudDispatcher {
    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String type = request.getHeader("Content-Type");
      if (type != null && (type.contains("strategic-merge-patch") || type.contains("apply-patch"))) {
        return super.handlePatch(
            new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                request.getPath(),
                request.getHeaders().newBuilder().set("Content-Type", "application/merge-patch+json").build(),
                request.getBody()));
      }
      return super.handlePatch(request);
    }
  }
}
