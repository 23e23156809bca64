package io.kreplay.transforms.execute;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The helper rules on their own, with kperf's own test vectors where it has them. */
public class RequestRulesTest {

  @Test
  public void masksTheLastSegmentLikeKperf() {
    assertEquals(
        "/api/v1/namespaces/default/pods/:name",
        RequestBuilder.maskLastPathSegment("/api/v1/namespaces/default/pods/nginx"));
    assertEquals(
        "/api/v1/namespaces/default/:name",
        RequestBuilder.maskLastPathSegment("/api/v1/namespaces/default/pods"));
    assertEquals("/:name", RequestBuilder.maskLastPathSegment("/single"));
    assertEquals("", RequestBuilder.maskLastPathSegment(""));
    assertEquals("/:name", RequestBuilder.maskLastPathSegment("/trailing/"));
  }

  @Test
  public void builtinGroupsAreCoreDotlessAndK8sIo() {
    String[] builtin = {
      "/api/v1/namespaces/default/pods/nginx",
      "/api/v1/nodes/node-1",
      "/apis/apps/v1/namespaces/default/deployments/nginx",
      "/apis/batch/v1/namespaces/default/jobs/my-job",
      "/apis/policy/v1/poddisruptionbudgets",
      "/apis/networking.k8s.io/v1/ingresses",
      "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin",
    };
    String[] custom = {
      "/apis/stable.example.com/v1/crontabs",
      "/apis/custom.mycompany.io/v1alpha1/widgets",
      "/apis/apps",
      "/other/path",
      "",
    };
    for (String p : builtin) {
      assertTrue(p, RequestBuilder.isBuiltinApiPath(p));
    }
    for (String p : custom) {
      assertFalse(p, RequestBuilder.isBuiltinApiPath(p));
    }
  }

  @Test
  public void normalizeAddsSlashAndFixesOnlyTheFirstAmpersand() {
    assertEquals("/api/v1/pods", RequestBuilder.normalize("api/v1/pods"));
    assertEquals("/api/v1/pods?a=1&b=2", RequestBuilder.normalize("/api/v1/pods&a=1&b=2"));
    assertEquals("/api/v1/pods?a=1&b=2", RequestBuilder.normalize("/api/v1/pods?a=1&b=2"));
  }

  @Test
  public void goQueryEscapesLikeQueryEscape() {
    assertEquals("a+b%2Fc%3F%26%3D%25~-_.", GoQuery.escape("a b/c?&=%~-_."));
    assertEquals("%C3%BC%E5%90%8D", GoQuery.escape("ü名"));
    assertEquals("ü名", GoQuery.unescape("%C3%BC%E5%90%8D"));
    assertEquals("a b", GoQuery.unescape("a+b"));
    assertNull(GoQuery.unescape("bad%2"));
    assertNull(GoQuery.unescape("bad%zz"));
  }

  @Test
  public void goQueryDropsWhatGoRejectsAndSortsKeys() {
    // Go 1.17+ rejects pairs with ';' and bad escapes, skips empty pairs, keeps value order.
    assertEquals(
        "a=1&a=0&b=&c=x+y",
        GoQuery.parse("c=x+y&&a=1&bad=%zz&semi=1;2&b&a=0").encode());
    assertTrue(GoQuery.parse("").isEmpty());
  }

  @Test
  public void aGetMasksTheSegmentThatIsItsName() {
    assertEquals("/api/v1/namespaces/web/pods/:name",
        RequestBuilder.maskName("/api/v1/namespaces/web/pods/web", "web"));
    assertEquals("a subresource stays", "/api/v1/namespaces/d/pods/:name/log",
        RequestBuilder.maskName("/api/v1/namespaces/d/pods/web-0/log", "web-0"));
    assertEquals("a name that is a prefix of another segment is not it", "/api/v1/namespaces/d/pods/:name",
        RequestBuilder.maskName("/api/v1/namespaces/d/pods/web-01/", "web-0"));
  }
}
