package io.kreplay.transforms.read;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kreplay.transforms.model.ReplayRequest;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;
import org.junit.runners.Parameterized.Parameters;

/**
 * kperf's load-profile rules, both sides: a profile that obeys a rule expands without problems,
 * one that breaks it has exactly the expected problem line.
 */
@RunWith(Parameterized.class)
public class LoadProfileRulesTest {
  /** Line 1 version, 2 specs, 3 "- rate", 4 duration, 5 conns, 6 client, 7 contentType, 8 requests, 9 "- shares". */
  static final String HEAD =
      "version: 1\nspecs:\n  - rate: 10\n    duration: 1\n    conns: 1\n    client: 2\n    contentType: json\n    requests:\n";

  static String with(String kind, String fields) {
    return HEAD + "      - shares: 1\n        " + kind + ":\n" + indent(fields);
  }

  private static String indent(String fields) {
    StringBuilder sb = new StringBuilder();
    for (String f : fields.split("\n")) {
      sb.append("          ").append(f).append('\n');
    }
    return sb.toString();
  }

  static final String PODS = "version: v1\nresource: pods\nnamespace: d";

  @Parameters(name = "{0}")
  public static Collection<Object[]> cases() {
    List<Object[]> c = new ArrayList<>();
    String at = "t.yaml: specs[0].requests[0] (line 9): ";
    c.add(new Object[] {"valid staleList", with("staleList", PODS), null});
    c.add(new Object[] {"old single spec form", with("staleList", PODS).replace("specs:\n  - rate", "spec:\n    rate"), null});
    c.add(new Object[] {"version 2", with("staleList", PODS).replace("version: 1", "version: 2"), "t.yaml: profile (line 1): version: must be 1, got 2"});
    c.add(new Object[] {"rate 0 is kperf's unlimited",
        with("staleList", PODS).replace("rate: 10", "rate: 0"),
        "t.yaml: specs[0] (line 3): rate: 0 means unlimited in kperf (as fast as the clients can go), which has no "
            + "arrival times to replay; give the requests per second to send, e.g. rate: 100"});
    c.add(new Object[] {"rate negative", with("staleList", PODS).replace("rate: 10", "rate: -1"), "t.yaml: specs[0] (line 3): rate: must be > 0 requests per second, got -1.0"});
    c.add(new Object[] {"fractional rate ok", with("staleList", PODS).replace("rate: 10", "rate: 2.5"), null});
    c.add(new Object[] {"total instead of duration ok", with("staleList", PODS).replace("duration: 1", "total: 5"), null});
    c.add(new Object[] {"neither duration nor total", with("staleList", PODS).replace("duration: 1", "total: 0"),
        "t.yaml: specs[0] (line 3): duration: give duration > 0 (seconds) or total > 0 (requests), got duration 0, total 0"});
    c.add(new Object[] {"conns 0", with("staleList", PODS).replace("conns: 1", "conns: 0"), "t.yaml: specs[0] (line 5): conns: must be > 0, got 0"});
    c.add(new Object[] {"client 0", with("staleList", PODS).replace("client: 2", "client: 0"), "t.yaml: specs[0] (line 6): client: must be > 0, got 0"});
    c.add(new Object[] {"contentType yaml", with("staleList", PODS).replace("contentType: json", "contentType: yaml"), "t.yaml: specs[0] (line 7): contentType: must be json or protobuf, got 'yaml'"});
    c.add(new Object[] {"unknown spec field", with("staleList", PODS).replace("conns: 1", "conns: 1\n    clients: 3"), "t.yaml: specs[0] (line 6): clients: unknown field (did you mean 'client'?)"});
    c.add(new Object[] {"no specs", "version: 1\nspecs: []\n", "t.yaml: profile: specs: must be provided (a list of specs, one per phase)"});
    c.add(new Object[] {"shares all 0", with("staleList", PODS).replace("shares: 1", "shares: 0"), "t.yaml: specs[0] (line 8): requests: shares must add up to more than 0"});
    c.add(new Object[] {"shares negative", with("staleList", PODS).replace("shares: 1", "shares: -1") + "      - shares: 1\n        quorumGet:\n" + indent(PODS + "\nname: a"), at + "shares: must be >= 0, got -1"});
    c.add(new Object[] {"empty request", HEAD + "      - shares: 1\n", at + "empty request: give one of " + LoadProfileReader.KINDS});
    c.add(new Object[] {"two kinds in one entry", with("staleList", PODS) + "        quorumList:\n" + indent(PODS), at + "quorumList: one kind per request, but staleList is given too"});
    c.add(new Object[] {"kind misspelt", with("stalelist", PODS), at + "stalelist: unknown field (did you mean 'staleList'?)"});
    c.add(new Object[] {"version required", with("staleList", "resource: pods"), at + "staleList.version: required (kube metadata)"});
    c.add(new Object[] {"resource required", with("quorumList", "version: v1"), at + "quorumList.resource: required (kube metadata)"});
    c.add(new Object[] {"stale list with a limit", with("staleList", PODS + "\nlimit: 10"),
        at + "staleList.limit: a stale list (resourceVersion=0) does not support pagination "
            + "(https://github.com/kubernetes/kubernetes/issues/108003); use quorumList for pages"});
    c.add(new Object[] {"quorum list with a limit ok", with("quorumList", PODS + "\nlimit: 10"), null});
    c.add(new Object[] {"quorum list limit negative", with("quorumList", PODS + "\nlimit: -1"), at + "quorumList.limit: must be >= 0, got -1"});
    c.add(new Object[] {"unknown kind field", with("quorumList", PODS + "\nseletor: a=b"), at + "quorumList.seletor: unknown field (did you mean 'selector'?)"});
    c.add(new Object[] {"watchList ok", with("watchList", PODS + "\nselector: app=x"), null});
    c.add(new Object[] {"staleGet needs a name", with("staleGet", PODS), at + "staleGet.name: required"});
    c.add(new Object[] {"quorumGet ok", with("quorumGet", PODS + "\nname: a"), null});
    c.add(new Object[] {"put ok", with("put", "version: v1\nresource: configmaps\nnamespace: d\nname: cm\nkeySpaceSize: 10\nvalueSize: 64"), null});
    c.add(new Object[] {"put keySpaceSize 0", with("put", "version: v1\nresource: configmaps\nname: cm\nkeySpaceSize: 0\nvalueSize: 64"), at + "put.keySpaceSize: must be > 0, got 0"});
    c.add(new Object[] {"put valueSize 0", with("put", "version: v1\nresource: configmaps\nname: cm\nkeySpaceSize: 1"), at + "put.valueSize: must be > 0, got 0"});
    c.add(new Object[] {"put name pattern", with("put", "version: v1\nresource: configmaps\nkeySpaceSize: 1\nvalueSize: 1"), at + "put.name: name pattern is required"});
    String patch = "version: v1\nresource: configmaps\nnamespace: d\nname: cm\nkeySpaceSize: 5\n";
    c.add(new Object[] {"patch ok", with("patch", patch + "patchType: merge\nbody: '{\"data\":{\"a\":\"b\"}}'"), null});
    c.add(new Object[] {"patch body as YAML ok", with("patch", patch + "patchType: json\nbody: [{op: add, path: /data/a, value: b}]"), null});
    c.add(new Object[] {"patch body not JSON", with("patch", patch + "patchType: merge\nbody: '{data: '"), at + "patch.body: invalid JSON in patch body"});
    c.add(new Object[] {"patch body missing", with("patch", patch + "patchType: merge"), at + "patch.body: required"});
    c.add(new Object[] {"patch type unknown", with("patch", patch + "patchType: strategic\nbody: '{}'"), at + "patch.patchType: unknown patch type 'strategic' (valid types: json, merge, strategic-merge)"});
    c.add(new Object[] {"patch keySpaceSize 0", with("patch", patch.replace("keySpaceSize: 5", "keySpaceSize: 0") + "patchType: merge\nbody: '{}'"),
        at + "patch.keySpaceSize: must be > 0 (objects <name>-0 .. <name>-(keySpaceSize-1) are patched), got 0"});
    c.add(new Object[] {"getPodLog ok", with("getPodLog", "namespace: d\nname: p\ncontainer: c\ntailLines: 10\nlimitBytes: 100"), null});
    c.add(new Object[] {"getPodLog namespace", with("getPodLog", "name: p"), at + "getPodLog.namespace: required"});
    c.add(new Object[] {"postDel ok", with("postDel", PODS + "\ndeleteRatio: 0.5"), null});
    c.add(new Object[] {"postDel ratio above 0.5", with("postDel", PODS + "\ndeleteRatio: 0.7"),
        at + "postDel.deleteRatio: must be between 0 and 0.5 (creates must outnumber deletes), got 0.7"});
    return c;
  }

  private final String profile;
  private final String expected;

  public LoadProfileRulesTest(String name, String profile, String expected) {
    this.profile = profile;
    this.expected = expected;
  }

  static ProfileProblems expand(String yaml, ProfileStreams.Options options, List<ReplayRequest> out) throws Exception {
    ProfileProblems problems = new ProfileProblems();
    try (RequestStream s =
        ProfileStreams.of(
            new ProfileSource(0, "t.yaml"), new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), options,
            problems)) {
      ReplayRequest r;
      while ((r = s.next()) != null) {
        out.add(r);
      }
    }
    return problems;
  }

  @Test
  public void ruleHolds() throws Exception {
    List<ReplayRequest> requests = new ArrayList<>();
    ProfileProblems problems = expand(profile, new ProfileStreams.Options(), requests);
    if (expected == null) {
      assertEquals(Arrays.asList(), problems.shown);
      assertTrue("a valid profile yields its requests", !requests.isEmpty());
    } else {
      assertEquals(Arrays.asList(expected), problems.shown);
      assertEquals("an invalid profile yields nothing", 0, requests.size());
    }
  }
}
