package io.kreplay.transforms.execute;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.Timeout;

/**
 * Every verb, built by {@link RequestBuilder} and sent by {@link Fabric8Executor}, against
 * fabric8's CRUD mock API server, checking what the server did rather than what we sent.
 *
 * <p>The mock implements JSON and merge patches only: it answers strategic merge patch and
 * server-side apply with 415. {@link RecordingDispatcher} records the media type each PATCH
 * arrived with (asserted exactly) and then applies the body as a merge patch, which for the
 * label-only bodies used here is what a real API server does for both.
 *
 * <p>WATCH is tested in {@link Fabric8ExecutorWatchTest}: the mock serves watches over
 * WebSocket only, and answers a plain streaming {@code ?watch=true} GET with 400.
 */
public class Fabric8ExecutorCrudTest {
  private static final String NS = "test";
  private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";

  @Rule public Timeout guard = Timeout.seconds(60);

  private RecordingDispatcher dispatcher;
  private KubernetesMockServer server;
  private KubernetesClient k8s;
  private Fabric8Executor executor;

  /** Records PATCH media types, then treats strategic merge and apply as merge patches. */
  static final class RecordingDispatcher extends KubernetesCrudDispatcher {
    final List<String> patchTypes = new CopyOnWriteArrayList<>();
    final List<String> patchPaths = new CopyOnWriteArrayList<>();

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String type = request.getHeader("Content-Type");
      patchTypes.add(type);
      patchPaths.add(request.getPath());
      if (type != null && (type.contains("strategic-merge-patch") || type.contains("apply-patch"))) {
        RecordedRequest asMerge =
            new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                request.getPath(),
                request.getHeaders().newBuilder()
                    .set("Content-Type", "application/merge-patch+json")
                    .build(),
                request.getBody());
        return super.handlePatch(asMerge);
      }
      return super.handlePatch(request);
    }
  }

  @Before
  public void start() {
    dispatcher = new RecordingDispatcher();
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    k8s = server.createClient();
    executor =
        Fabric8Executor.open(
            ConnectionSettings.masterUrl(server.url("/")), Duration.ofSeconds(10), 0);
  }

  @After
  public void stop() {
    if (executor != null) {
      executor.close();
    }
    if (k8s != null) {
      k8s.close();
    }
    if (server != null) {
      server.destroy();
    }
  }

  private static ReplayRequest request(
      Verb verb, String apiPath, String name, String body, String selector) {
    return new ReplayRequest(0, 0, 0, verb, NS, "Pod", name, apiPath, body, selector);
  }

  private CallResult send(ReplayRequest r) throws Exception {
    return executor.execute(RequestBuilder.build(r, false)).get(20, TimeUnit.SECONDS);
  }

  private static String podJson(String name, String app) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\""
        + NS
        + "\",\"labels\":{\"app\":\""
        + app
        + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
  }

  private void seed(String name, String app) {
    k8s.pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", app)
                .endMetadata()
                .build())
        .create();
  }

  private Pod pod(String name) {
    return k8s.pods().inNamespace(NS).withName(name).get();
  }

  @Test
  public void createThenGetReturnsTheObject() throws Exception {
    CallResult created = send(request(Verb.CREATE, PODS, "web-1", podJson("web-1", "web"), ""));
    assertTrue(created.toString(), created.isSuccess());
    assertThat(created.status(), greaterThan(199));
    assertNotNull("the server stored it", pod("web-1"));

    CallResult got = send(request(Verb.GET, PODS + "/web-1", "web-1", "", ""));
    assertTrue(got.toString(), got.isSuccess());
    assertEquals(200, got.status());
    assertThat(got.bytesReceived(), greaterThan(0L));
    assertTrue(got.headersNanos() - got.sentNanos() >= 0);
    assertTrue(got.completedNanos() - got.headersNanos() >= 0);

    CallResult missing = send(request(Verb.GET, PODS + "/nope", "nope", "", ""));
    assertEquals("http/404", missing.errorKey());
    assertEquals(404, missing.status());
  }

  @Test
  public void listWithSelectorReturnsOnlyMatching() throws Exception {
    seed("web-1", "web");
    seed("web-2", "web");
    seed("db-1", "db");
    HttpCall call = RequestBuilder.build(request(Verb.LIST, PODS, "", "", "app=web"), false);
    CallResult listed = executor.execute(call).get(20, TimeUnit.SECONDS);
    assertTrue(listed.toString(), listed.isSuccess());
    assertEquals("LIST", call.reportMethod());

    // What that exact URL returns, read by an independent client: only the web pods, and
    // the executor received every byte of it.
    HttpResponse<String> same =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.url(call.pathAndQuery()))).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(same.body(), containsString("web-1"));
    assertThat(same.body(), containsString("web-2"));
    assertThat(same.body(), not(containsString("db-1")));
    assertEquals(same.body().getBytes("UTF-8").length, listed.bytesReceived());
  }

  @Test
  public void patchChangesLabelsWithStrategicMergeOnBuiltins() throws Exception {
    seed("web-1", "web");
    CallResult patched =
        send(
            request(
                Verb.PATCH,
                PODS + "/web-1",
                "web-1",
                "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}",
                ""));
    assertTrue(patched.toString(), patched.isSuccess());
    assertEquals("application/strategic-merge-patch+json", dispatcher.patchTypes.get(0));
    Map<String, String> labels = pod("web-1").getMetadata().getLabels();
    assertEquals("front", labels.get("tier"));
    assertEquals("web", labels.get("app"));
  }

  @Test
  public void applyChangesLabelsAsServerSideApplyWithOurFieldManager() throws Exception {
    seed("web-1", "web");
    CallResult applied =
        send(
            request(
                Verb.APPLY,
                PODS + "/web-1",
                "web-1",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web-1\","
                    + "\"labels\":{\"app\":\"api\"}}}",
                ""));
    assertTrue(applied.toString(), applied.isSuccess());
    assertEquals("application/apply-patch+yaml", dispatcher.patchTypes.get(0));
    assertThat(dispatcher.patchPaths.get(0), containsString("fieldManager=kreplay"));
    assertEquals("api", pod("web-1").getMetadata().getLabels().get("app"));
  }

  @Test
  public void deleteRemovesTheObject() throws Exception {
    seed("web-1", "web");
    seed("web-2", "web");
    CallResult deleted = send(request(Verb.DELETE, PODS + "/web-1", "web-1", "", ""));
    assertTrue(deleted.toString(), deleted.isSuccess());
    assertNull(pod("web-1"));
    assertNotNull(pod("web-2"));
  }

  @Test
  public void deleteCollectionWithSelectorRemovesOnlyMatching() throws Exception {
    seed("web-1", "web");
    seed("web-2", "web");
    seed("db-1", "db");
    CallResult deleted = send(request(Verb.DELETECOLLECTION, PODS, "", "", "app=web"));
    assertTrue(deleted.toString(), deleted.isSuccess());
    assertNull(pod("web-1"));
    assertNull(pod("web-2"));
    assertNotNull("kperf would have deleted this one too", pod("db-1"));
  }
}
