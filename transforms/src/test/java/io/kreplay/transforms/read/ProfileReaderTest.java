package io.kreplay.transforms.read;

import static io.kreplay.transforms.read.ProfileReaderRulesTest.GET;
import static io.kreplay.transforms.read.ProfileReaderRulesTest.SPEC;
import static io.kreplay.transforms.read.ProfileReaderRulesTest.read;
import static io.kreplay.transforms.read.ProfileReaderRulesTest.v1;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.Assert.assertEquals;

import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.model.Verb;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class ProfileReaderTest {
  @Test
  public void readsEveryFieldWithPositionAndPhase() throws Exception {
    String yaml =
        v1(
            SPEC,
            GET
                + "  - timestamp: 7\n    verb: LIST\n    namespace: d\n    resourceKind: Pod\n"
                + "    apiPath: /api/v1/namespaces/d/pods\n    labelSelector: app=web\n");
    List<ReplayRequest> out = new ArrayList<>();
    assertEquals(0, read(yaml, out).total);
    assertEquals(2, out.size());
    ReplayRequest list = out.get(1);
    assertEquals(new ReplayRequest(0, 1, 7, Verb.LIST, "d", "Pod", "", "/api/v1/namespaces/d/pods", "", "app=web"), list);
    assertEquals("d/Pod/?labelSelector=app=web", list.objectKey());
  }

  @Test
  public void aYamlMappingBodyIsSentAsJson() throws Exception {
    String yaml =
        v1(
            SPEC,
            "  - timestamp: 1\n    verb: CREATE\n    resourceKind: Pod\n    apiPath: /api/v1/namespaces/d/pods\n"
                + "    body:\n      kind: Pod\n      metadata: {name: a, labels: {app: web}}\n");
    List<ReplayRequest> out = new ArrayList<>();
    assertEquals(0, read(yaml, out).total);
    assertEquals("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"a\",\"labels\":{\"app\":\"web\"}}}", out.get(0).body());
  }

  @Test
  public void allProblemsAreCountedButOnlyTheFirstHundredShown() throws Exception {
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < 250; i++) {
      requests.append(GET.replace("verb: GET", "verb: FETCH"));
    }
    List<ReplayRequest> out = new ArrayList<>();
    ProfileProblems problems = read(v1(SPEC, requests.toString()), out);
    assertEquals(250, problems.total);
    assertEquals(ProfileProblems.SHOWN, problems.shown.size());
    assertEquals(0, out.size());
    assertThat(problems.shown.get(99), org.hamcrest.Matchers.startsWith("t.yaml: requests[99] (line "));
    assertThat(problems.describe(), endsWith("... and 150 more problems\n250 problems found; nothing was sent."));
  }

  @Test
  public void validRequestsAroundABadOneAreStillReadAndCounted() throws Exception {
    String yaml = v1(SPEC, GET + GET.replace("resourceKind: Pod", "resourceKind: ''") + GET);
    List<ReplayRequest> out = new ArrayList<>();
    ProfileProblems problems = read(yaml, out);
    assertEquals(1, problems.total);
    assertEquals(2, out.size());
    assertEquals(0, out.get(0).sequence());
    assertEquals(2, out.get(1).sequence());
  }

  @Test
  public void specAfterRequestsIsStillValidated() throws Exception {
    String yaml = "version: 1\nrequests:\n" + GET + SPEC.replace("runnerCount: 2", "runnerCount: 0");
    List<ReplayRequest> out = new ArrayList<>();
    ProfileProblems problems = read(yaml, out);
    assertEquals(1, problems.total);
    assertThat(problems.shown.get(0), org.hamcrest.Matchers.containsString("runnerCount: must be > 0, got 0"));
  }

  @Test
  public void profilesLargerThanSnakeYamlsDefaultDocumentLimitAreRead() throws Exception {
    // SnakeYAML's default cap is 3 MiB of code points; this profile is ~8 MB.
    StringBuilder requests = new StringBuilder(8_500_000);
    for (int i = 0; i < 60_000; i++) {
      requests.append(GET);
    }
    String yaml = v1(SPEC, requests.toString());
    assertThat(yaml.length(), org.hamcrest.Matchers.greaterThan(3 << 20));
    List<ReplayRequest> out = new ArrayList<>();
    ProfileProblems problems = read(yaml, out);
    assertEquals(problems.describe(), 0, problems.total);
    assertEquals(60_000, out.size());
  }
}
