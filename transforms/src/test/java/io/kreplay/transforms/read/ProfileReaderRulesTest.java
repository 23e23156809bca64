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
 * Every validation rule, both sides: a profile that obeys it has no problem, one that breaks it
 * has exactly the expected problem line (source, place, line, field, message).
 */
@RunWith(Parameterized.class)
public class ProfileReaderRulesTest {
  static final String SPEC =
      "spec:\n  runnerCount: 2\n  connsPerRunner: 1\n  clientsPerRunner: 0\n  contentType: json\n";
  static final String GET =
      "  - timestamp: 5\n    verb: GET\n    resourceKind: Pod\n    name: a\n    apiPath: /api/v1/namespaces/d/pods/a\n";

  static String profile(String header, String requests) {
    return header + "requests:\n" + requests;
  }

  static String v1(String spec, String requests) {
    return profile("version: 1\n" + spec, requests);
  }

  static String request(String fields) {
    return "  - " + fields.replace("\n", "\n    ").trim() + "\n";
  }

  @Parameters(name = "{0}")
  public static Collection<Object[]> cases() {
    List<Object[]> c = new ArrayList<>();
    // name, profile, expected problem (null: valid)
    c.add(new Object[] {"valid minimal profile", v1(SPEC, GET), null});
    c.add(new Object[] {"version 1 ok, 2 rejected", profile("version: 2\n" + SPEC, GET), "t.yaml: profile (line 1): version: must be 1, got 2"});
    c.add(new Object[] {"version missing", profile(SPEC, GET), "t.yaml: profile: version: missing (must be 1)"});
    c.add(new Object[] {"version not an integer", profile("version: one\n" + SPEC, GET), "t.yaml: profile (line 1): version: must be the integer 1, got 'one'"});
    c.add(new Object[] {"spec missing", profile("version: 1\n", GET), "t.yaml: profile: spec: missing (runnerCount, connsPerRunner, contentType, ...)"});
    c.add(new Object[] {"runnerCount 1 ok", v1(SPEC.replace("runnerCount: 2", "runnerCount: 1"), GET), null});
    c.add(new Object[] {"runnerCount 0", v1(SPEC.replace("runnerCount: 2", "runnerCount: 0"), GET), "t.yaml: spec (line 3): runnerCount: must be > 0, got 0"});
    c.add(new Object[] {"connsPerRunner 0", v1(SPEC.replace("connsPerRunner: 1", "connsPerRunner: 0"), GET), "t.yaml: spec (line 4): connsPerRunner: must be > 0, got 0"});
    c.add(new Object[] {"clientsPerRunner -1", v1(SPEC.replace("clientsPerRunner: 0", "clientsPerRunner: -1"), GET), "t.yaml: spec (line 5): clientsPerRunner: must be >= 0 (0 means connsPerRunner), got -1"});
    c.add(new Object[] {"contentType protobuf ok", v1(SPEC.replace("json", "protobuf"), GET), null});
    c.add(new Object[] {"contentType yaml", v1(SPEC.replace("json", "yaml"), GET), "t.yaml: spec (line 6): contentType: must be json or protobuf, got 'yaml'"});
    c.add(new Object[] {"contentType missing", v1(SPEC.replace("  contentType: json\n", ""), GET), "t.yaml: spec (line 2): contentType: missing (json or protobuf)"});
    c.add(new Object[] {"disableHTTP2 not a boolean", v1(SPEC + "  disableHTTP2: maybe\n", GET), "t.yaml: spec (line 7): disableHTTP2: must be true or false, got 'maybe'"});
    c.add(new Object[] {"unknown spec field", v1(SPEC + "  runnerCuont: 3\n", GET), "t.yaml: spec (line 7): runnerCuont: unknown field (did you mean 'runnerCount'?)"});
    c.add(new Object[] {"unknown top-level field", v1(SPEC + "descripton: x\n", GET), "t.yaml: profile (line 7): descripton: unknown field (did you mean 'description'?)"});
    c.add(new Object[] {"requests empty", v1(SPEC, "  []\n").replace("requests:\n  []", "requests: []"), "t.yaml: profile: requests: must not be empty"});
    c.add(new Object[] {"requests missing", "version: 1\n" + SPEC, "t.yaml: profile: requests: missing"});
    c.add(new Object[] {"timestamp 0 ok", v1(SPEC, GET.replace("timestamp: 5", "timestamp: 0")), null});
    c.add(new Object[] {"timestamp negative", v1(SPEC, GET.replace("timestamp: 5", "timestamp: -1")), "t.yaml: requests[0] (line 8): timestamp: must be >= 0, got -1"});
    c.add(new Object[] {"timestamp missing", v1(SPEC, GET.replace("- timestamp: 5\n    verb", "- verb")), "t.yaml: requests[0] (line 8): timestamp: missing"});
    c.add(new Object[] {"timestamp typo does not become 0", v1(SPEC, GET.replace("timestamp: 5", "timestmap: 5")), "t.yaml: requests[0] (line 8): timestmap: unknown field (did you mean 'timestamp'?)"});
    c.add(new Object[] {"timestamp a string", v1(SPEC, GET.replace("timestamp: 5", "timestamp: soon")), "t.yaml: requests[0] (line 8): timestamp: must be an integer (milliseconds from start), got 'soon'"});
    c.add(new Object[] {"timestamps equal ok", v1(SPEC, GET + GET), null});
    c.add(new Object[] {"timestamps decreasing", v1(SPEC, GET.replace("timestamp: 5", "timestamp: 9") + GET), "t.yaml: requests[1] (line 13): timestamp: 5 is before the previous request's 9 (requests must be sorted by timestamp)"});
    for (String verb : new String[] {"CREATE", "GET", "LIST", "APPLY", "PATCH", "DELETE", "DELETECOLLECTION", "WATCH"}) {
      c.add(new Object[] {"verb " + verb + " accepted", v1(SPEC, request("timestamp: 1\nverb: " + verb + "\nresourceKind: Pod\nname: a\napiPath: /p\nbody: '{}'")), null});
    }
    c.add(new Object[] {"verb lower case", v1(SPEC, GET.replace("verb: GET", "verb: get")), "t.yaml: requests[0] (line 9): verb: unsupported verb 'get' (did you mean GET?)"});
    c.add(new Object[] {"verb unknown", v1(SPEC, GET.replace("verb: GET", "verb: UPDATE")), "t.yaml: requests[0] (line 9): verb: unsupported verb 'UPDATE' (one of [CREATE, GET, LIST, APPLY, PATCH, DELETE, DELETECOLLECTION, WATCH])"});
    c.add(new Object[] {"verb missing", v1(SPEC, GET.replace("    verb: GET\n", "")), "t.yaml: requests[0] (line 8): verb: missing (one of [CREATE, GET, LIST, APPLY, PATCH, DELETE, DELETECOLLECTION, WATCH])"});
    c.add(new Object[] {"resourceKind missing", v1(SPEC, GET.replace("    resourceKind: Pod\n", "")), "t.yaml: requests[0] (line 8): resourceKind: required"});
    c.add(new Object[] {"apiPath missing", v1(SPEC, GET.replace("    apiPath: /api/v1/namespaces/d/pods/a\n", "")), "t.yaml: requests[0] (line 8): apiPath: required"});
    for (String verb : new String[] {"GET", "DELETE"}) {
      c.add(new Object[] {"name required for " + verb, v1(SPEC, request("timestamp: 1\nverb: " + verb + "\nresourceKind: Pod\napiPath: /p")), "t.yaml: requests[0] (line 8): name: required for " + verb});
    }
    for (String verb : new String[] {"PATCH", "APPLY"}) {
      c.add(new Object[] {"name required for " + verb, v1(SPEC, request("timestamp: 1\nverb: " + verb + "\nresourceKind: Pod\napiPath: /p\nbody: '{}'")), "t.yaml: requests[0] (line 8): name: required for " + verb});
    }
    for (String verb : new String[] {"CREATE", "LIST", "WATCH", "DELETECOLLECTION"}) {
      c.add(new Object[] {"name optional for " + verb, v1(SPEC, request("timestamp: 1\nverb: " + verb + "\nresourceKind: Pod\napiPath: /p\nbody: '{}'")), null});
    }
    for (String verb : new String[] {"CREATE", "APPLY", "PATCH"}) {
      c.add(new Object[] {"body required for " + verb, v1(SPEC, request("timestamp: 1\nverb: " + verb + "\nresourceKind: Pod\nname: a\napiPath: /p")), "t.yaml: requests[0] (line 8): body: required for " + verb});
    }
    c.add(new Object[] {"unknown request field", v1(SPEC, GET + "    lableSelector: a=b\n"), "t.yaml: requests[0] (line 13): lableSelector: unknown field (did you mean 'labelSelector'?)"});
    c.add(new Object[] {"field twice", v1(SPEC, GET + "    name: b\n"), "t.yaml: requests[0] (line 13): name: appears twice"});
    c.add(new Object[] {"request not a mapping", v1(SPEC, "  - just a string\n"), "t.yaml: requests[0] (line 8): must be a mapping with timestamp, verb, resourceKind, apiPath, ..."});
    c.add(new Object[] {"name not a string", v1(SPEC, GET.replace("name: a", "name: [a, b]")), "t.yaml: requests[0] (line 11): name: must be a string, got a list"});
    c.add(new Object[] {"document not a mapping", "- 1\n- 2\n", "t.yaml: profile (line 1): expected a mapping with version, spec and requests"});
    c.add(new Object[] {"empty document", "", "t.yaml: profile: empty document (expected version, spec and requests)"});
    c.add(new Object[] {"malformed YAML", v1(SPEC, GET + "  - timestamp: 6\n    verb: GET: x\n"), "t.yaml: requests[1] (line 14): malformed YAML: mapping values are not allowed here"});
    return c;
  }

  private final String profile;
  private final String expected;

  public ProfileReaderRulesTest(String name, String profile, String expected) {
    this.profile = profile;
    this.expected = expected;
  }

  static ProfileProblems read(String yaml, List<ReplayRequest> out) throws Exception {
    ProfileProblems problems = new ProfileProblems();
    try (ProfileReader reader =
        ProfileReader.of(
            new ProfileSource(0, "t.yaml"), new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), problems)) {
      ReplayRequest r;
      while ((r = reader.next()) != null) {
        out.add(r);
      }
    }
    return problems;
  }

  @Test
  public void ruleHolds() throws Exception {
    List<ReplayRequest> requests = new ArrayList<>();
    ProfileProblems problems = read(profile, requests);
    if (expected == null) {
      assertEquals(Arrays.asList(), problems.shown);
      assertTrue("a valid profile yields its requests", !requests.isEmpty());
    } else {
      assertEquals(Arrays.asList(expected), problems.shown);
    }
  }
}
