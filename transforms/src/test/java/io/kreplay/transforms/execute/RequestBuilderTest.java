package io.kreplay.transforms.execute;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameter;
import org.junit.runners.Parameterized.Parameters;

/**
 * Every verb's call, field by field, against kperf's replay builder: the table is the
 * expected output of {@code replay/builder.go} for the same request, except where a row says
 * otherwise (DELETECOLLECTION keeps its selector; our field manager is "kreplay").
 */
@RunWith(Parameterized.class)
public class RequestBuilderTest {
  private static final String POD = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}";
  private static final String LABELS = "{\"metadata\":{\"labels\":{\"app\":\"x\"}}}";
  private static final String JSON = "application/json";
  private static final String SMP = "application/strategic-merge-patch+json";
  private static final String MERGE = "application/merge-patch+json";
  private static final String APPLY = "application/apply-patch+yaml";

  @Parameters(name = "{0}")
  public static List<Object[]> table() {
    return Arrays.asList(
        new Object[][] {
          // name, verb, apiPath, selector, body, | method, path, query, contentType, masked, label
          {"create", Verb.CREATE, "/api/v1/namespaces/default/pods", "", POD,
            "POST", "/api/v1/namespaces/default/pods", "", JSON,
            "/api/v1/namespaces/default/pods", "POST"},
          {"a named get is masked (kperf keeps one key per object)", Verb.GET,
            "/api/v1/namespaces/default/pods/nginx", "", "",
            "GET", "/api/v1/namespaces/default/pods/nginx", "", null,
            "/api/v1/namespaces/default/pods/:name", "GET"},
          {"list with selector", Verb.LIST, "/api/v1/namespaces/default/pods", "app=nginx", "",
            "GET", "/api/v1/namespaces/default/pods", "labelSelector=app%3Dnginx", null,
            "/api/v1/namespaces/default/pods?labelSelector=app%3Dnginx", "LIST"},
          {"list: leading slash and first & as ?, keys sorted", Verb.LIST,
            "api/v1/namespaces/default/pods&limit=100&continue=abc", "", "",
            "GET", "/api/v1/namespaces/default/pods", "continue=abc&limit=100", null,
            "/api/v1/namespaces/default/pods?continue=abc&limit=100", "LIST"},
          {"list: selector replaces the path's, other params kept", Verb.LIST,
            "/api/v1/pods?limit=5&labelSelector=old", "new=1", "",
            "GET", "/api/v1/pods", "labelSelector=new%3D1&limit=5", null,
            "/api/v1/pods?labelSelector=new%3D1&limit=5", "LIST"},
          {"list: selector with spaces, parentheses, commas, !=", Verb.LIST,
            "/api/v1/pods", "app in (a, b),tier!=web,!canary", "",
            "GET", "/api/v1/pods",
            "labelSelector=app+in+%28a%2C+b%29%2Ctier%21%3Dweb%2C%21canary", null,
            "/api/v1/pods?labelSelector=app+in+%28a%2C+b%29%2Ctier%21%3Dweb%2C%21canary", "LIST"},
          {"list: escaped query re-encoded Go's way", Verb.LIST,
            "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&x=a+b&y=%7e", "", "",
            "GET", "/api/v1/pods", "fieldSelector=spec.nodeName%3Dnode-1&x=a+b&y=~", null,
            "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1&x=a+b&y=~", "LIST"},
          {"list: crd", Verb.LIST, "/apis/stable.example.com/v1/namespaces/ns/crontabs", "", "",
            "GET", "/apis/stable.example.com/v1/namespaces/ns/crontabs", "", null,
            "/apis/stable.example.com/v1/namespaces/ns/crontabs", "LIST"},
          {"watch with selector", Verb.WATCH, "/api/v1/namespaces/default/pods", "app=nginx", "",
            "GET", "/api/v1/namespaces/default/pods", "labelSelector=app%3Dnginx&watch=true", null,
            "/api/v1/namespaces/default/pods?labelSelector=app%3Dnginx&watch=true", "WATCH"},
          {"watch without selector", Verb.WATCH, "/api/v1/pods&resourceVersion=0", "", "",
            "GET", "/api/v1/pods", "resourceVersion=0&watch=true", null,
            "/api/v1/pods?resourceVersion=0&watch=true", "WATCH"},
          {"patch core: strategic merge", Verb.PATCH, "/api/v1/namespaces/default/pods/nginx", "",
            LABELS, "PATCH", "/api/v1/namespaces/default/pods/nginx", "", SMP,
            "/api/v1/namespaces/default/pods/:name", "PATCH"},
          {"patch apps: strategic merge", Verb.PATCH,
            "/apis/apps/v1/namespaces/default/deployments/web", "", LABELS,
            "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", "", SMP,
            "/apis/apps/v1/namespaces/default/deployments/:name", "PATCH"},
          {"patch *.k8s.io: strategic merge", Verb.PATCH,
            "/apis/networking.k8s.io/v1/namespaces/default/ingresses/web", "", LABELS,
            "PATCH", "/apis/networking.k8s.io/v1/namespaces/default/ingresses/web", "", SMP,
            "/apis/networking.k8s.io/v1/namespaces/default/ingresses/:name", "PATCH"},
          {"patch crd: merge patch", Verb.PATCH,
            "/apis/stable.example.com/v1/namespaces/default/crontabs/c1", "", LABELS,
            "PATCH", "/apis/stable.example.com/v1/namespaces/default/crontabs/c1", "", MERGE,
            "/apis/stable.example.com/v1/namespaces/default/crontabs/:name", "PATCH"},
          {"apply: server-side apply as kreplay, reported as PATCH", Verb.APPLY,
            "/apis/apps/v1/namespaces/default/deployments/web", "", LABELS,
            "PATCH", "/apis/apps/v1/namespaces/default/deployments/web", "fieldManager=kreplay",
            APPLY, "/apis/apps/v1/namespaces/default/deployments/:name?fieldManager=kreplay",
            "PATCH"},
          {"apply crd", Verb.APPLY, "/apis/stable.example.com/v1/crontabs/c1", "", LABELS,
            "PATCH", "/apis/stable.example.com/v1/crontabs/c1", "fieldManager=kreplay", APPLY,
            "/apis/stable.example.com/v1/crontabs/:name?fieldManager=kreplay", "PATCH"},
          {"delete", Verb.DELETE, "/api/v1/namespaces/default/pods/nginx", "", "",
            "DELETE", "/api/v1/namespaces/default/pods/nginx", "", null,
            "/api/v1/namespaces/default/pods/:name", "DELETE"},
          {"delete: trailing slash masked like kperf", Verb.DELETE, "/api/v1/nodes/node-1/", "",
            "", "DELETE", "/api/v1/nodes/node-1/", "", null, "/api/v1/nodes/:name", "DELETE"},
          {"deletecollection keeps its selector (kperf drops it)", Verb.DELETECOLLECTION,
            "/api/v1/namespaces/default/pods", "app=web", "",
            "DELETE", "/api/v1/namespaces/default/pods", "labelSelector=app%3Dweb", null,
            "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb", "DELETE"},
          {"deletecollection without selector", Verb.DELETECOLLECTION,
            "/api/v1/namespaces/default/pods", "", "",
            "DELETE", "/api/v1/namespaces/default/pods", "", null,
            "/api/v1/namespaces/default/pods", "DELETE"},
          {"get ignores a selector", Verb.GET, "/api/v1/namespaces/default/pods/a", "app=x", "",
            "GET", "/api/v1/namespaces/default/pods/a", "", null,
            "/api/v1/namespaces/default/pods/:name", "GET"},
        });
  }

  @Parameter(0) public String name;
  @Parameter(1) public Verb verb;
  @Parameter(2) public String apiPath;
  @Parameter(3) public String selector;
  @Parameter(4) public String body;
  @Parameter(5) public String method;
  @Parameter(6) public String path;
  @Parameter(7) public String query;
  @Parameter(8) public String contentType;
  @Parameter(9) public String masked;
  @Parameter(10) public String label;

  private HttpCall call(boolean protobuf) {
    ReplayRequest r =
        new ReplayRequest(0, 0, 0, verb, "default", "Pod", "n", apiPath, body, selector);
    return RequestBuilder.build(r, protobuf);
  }

  @Test
  public void buildsKperfsCall() {
    HttpCall c = call(false);
    assertEquals("method", method, c.method());
    assertEquals("path", path, c.path());
    assertEquals("query", query, c.query());
    assertEquals("pathAndQuery", query.isEmpty() ? path : path + "?" + query, c.pathAndQuery());
    assertEquals("content type", contentType, c.contentType());
    assertEquals("masked", masked, c.maskedUrl());
    assertEquals("report method", label, c.reportMethod());
    assertEquals("accept", "application/json", c.accept());
    assertEquals("watch", verb == Verb.WATCH, c.isWatch());
    if (contentType == null) {
      assertNull("no body for " + verb, c.body());
    } else {
      assertEquals(body, c.body());
    }
  }

  @Test
  public void protobufOnlyChangesAccept() {
    HttpCall json = call(false);
    HttpCall proto = call(true);
    assertEquals("application/vnd.kubernetes.protobuf, application/json", proto.accept());
    assertEquals(json.pathAndQuery(), proto.pathAndQuery());
    assertEquals(json.contentType(), proto.contentType());
    assertEquals(json.maskedUrl(), proto.maskedUrl());
  }

  @Test
  public void toStringNeverShowsTheBody() {
    HttpCall c = call(false);
    assertTrue(c.toString().startsWith(method + " " + c.pathAndQuery()));
    if (!body.isEmpty()) {
      assertFalse(c.toString().contains(body));
    }
  }
}
