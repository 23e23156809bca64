package io.kreplay.transforms.read;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kreplay.transforms.execute.HttpCall;
import io.kreplay.transforms.execute.RequestBuilder;
import io.kreplay.transforms.model.LoadKind;
import io.kreplay.transforms.model.ReplayRequest;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Expansion of load profiles: what each kind sends, timing, seeding, streaming, detection. */
public class LoadProfileStreamTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static String spec(double rate, String durationOrTotal, String requests) {
    return "  - rate: " + rate + "\n    " + durationOrTotal + "\n    conns: 1\n    client: 1\n    contentType: json\n"
        + "    requests:\n" + requests;
  }

  static String one(String kind, String fields) {
    StringBuilder sb = new StringBuilder("      - shares: 1\n        " + kind + ":\n");
    for (String f : fields.split("\n")) {
      sb.append("          ").append(f).append('\n');
    }
    return sb.toString();
  }

  static List<ReplayRequest> expand(String yaml, long seed, LoadProfileStream.Arrivals arrivals) throws Exception {
    ProfileStreams.Options o = new ProfileStreams.Options();
    o.seed = seed;
    o.arrivals = arrivals;
    List<ReplayRequest> out = new ArrayList<>();
    ProfileProblems problems = LoadProfileRulesTest.expand(yaml, o, out);
    assertEquals(new ArrayList<String>(), problems.shown);
    return out;
  }

  /** The one call a single-kind, single-request profile sends. */
  static HttpCall callOf(String kind, String fields) throws Exception {
    List<ReplayRequest> r = expand("version: 1\nspecs:\n" + spec(1, "total: 1", one(kind, fields)), 1, LoadProfileStream.Arrivals.EVEN);
    assertEquals(1, r.size());
    return RequestBuilder.build(r.get(0), false);
  }

  @Test
  public void eachKindSendsKperfsUrlMethodAndParameters() throws Exception {
    HttpCall c = callOf("staleList", "version: v1\nresource: pods\nnamespace: d\nselector: app=web\nfieldSelector: spec.nodeName=n1");
    assertEquals("GET", c.method());
    assertEquals("/api/v1/namespaces/d/pods?fieldSelector=spec.nodeName%3Dn1&labelSelector=app%3Dweb&resourceVersion=0", c.pathAndQuery());
    assertEquals("LIST", c.reportMethod());

    c = callOf("quorumList", "group: apps\nversion: v1\nresource: deployments\nlimit: 500");
    assertEquals("GET /apis/apps/v1/deployments?limit=500", c.method() + " " + c.pathAndQuery());
    assertEquals("LIST", c.reportMethod());

    c = callOf("quorumList", "version: v1\nresource: pods");
    assertEquals("no limit, no resourceVersion: a quorum read from etcd", "/api/v1/pods", c.pathAndQuery());

    c = callOf("watchList", "version: v1\nresource: pods\nnamespace: d");
    assertEquals("GET", c.method());
    assertEquals(
        "/api/v1/namespaces/d/pods?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&watch=true",
        c.pathAndQuery());
    assertEquals("WATCHLIST", c.reportMethod());
    assertTrue("ends at its initial-events-end bookmark", c.isWatchList());
    assertFalse("not held open like a WATCH", c.isWatch());

    c = callOf("staleGet", "version: v1\nresource: pods\nnamespace: d\nname: web-0");
    assertEquals("GET /api/v1/namespaces/d/pods/web-0?resourceVersion=0", c.method() + " " + c.pathAndQuery());
    assertEquals("GET", c.reportMethod());
    assertEquals("a fixed name is not masked (kperf keeps GET URLs)", "/api/v1/namespaces/d/pods/web-0?resourceVersion=0", c.maskedUrl());

    c = callOf("quorumGet", "version: v1\nresource: pods\nname: web-0");
    assertEquals("GET /api/v1/pods/web-0", c.method() + " " + c.pathAndQuery());

    c = callOf("put", "version: v1\nresource: configmaps\nnamespace: d\nname: cm\nkeySpaceSize: 10\nvalueSize: 32");
    assertEquals("PUT", c.method());
    assertTrue(c.path(), c.path().matches("/api/v1/namespaces/d/configmaps/cm-[0-9]"));
    assertEquals("application/json", c.contentType());
    assertEquals("/api/v1/namespaces/d/configmaps/:name", c.maskedUrl());
    assertEquals("PUT", c.reportMethod());
    JsonNode body = new ObjectMapper().readTree(c.body());
    assertEquals("ConfigMap", body.get("kind").asText());
    assertEquals(c.path().substring(c.path().lastIndexOf('/') + 1), body.at("/metadata/name").asText());
    assertEquals(32, body.at("/data/data").asText().length());

    String patch = "version: v1\nresource: configmaps\nnamespace: d\nname: cm\nkeySpaceSize: 3\nbody: '{\"data\":{\"a\":\"b\"}}'\n";
    c = callOf("patch", patch + "patchType: json");
    assertEquals("PATCH", c.method());
    assertEquals("application/json-patch+json", c.contentType());
    assertEquals("{\"data\":{\"a\":\"b\"}}", c.body());
    assertEquals("/api/v1/namespaces/d/configmaps/:name", c.maskedUrl());
    assertEquals("application/merge-patch+json", callOf("patch", patch + "patchType: merge").contentType());
    assertEquals("application/strategic-merge-patch+json", callOf("patch", patch + "patchType: strategic-merge").contentType());

    c = callOf("getPodLog", "namespace: d\nname: web-0\ncontainer: app\ntailLines: 10\nlimitBytes: 4096");
    assertEquals("GET /api/v1/namespaces/d/pods/web-0/log?container=app&limitBytes=4096&tailLines=10", c.method() + " " + c.pathAndQuery());
    assertEquals("POD_LOG", c.reportMethod());

    c = callOf("postDel", "version: v1\nresource: pods\nnamespace: d\ndeleteRatio: 0.5");
    assertEquals("the first postDel can only create", "POST /api/v1/namespaces/d/pods", c.method() + " " + c.pathAndQuery());
    assertEquals("Pod", new ObjectMapper().readTree(c.body()).get("kind").asText());
  }

  @Test
  public void postDelDeletesOnlyWhatItCreatedEarlierAtAboutTheRatio() throws Exception {
    List<ReplayRequest> rs = expand("version: 1\nspecs:\n"
        + spec(100, "total: 4000", one("postDel", "version: v1\nresource: pods\nnamespace: d\ndeleteRatio: 0.3")),
        7, LoadProfileStream.Arrivals.EVEN);
    Set<String> created = new HashSet<>();
    int deletes = 0;
    for (ReplayRequest r : rs) {
      HttpCall c = RequestBuilder.build(r, false);
      if (r.kind() == LoadKind.POST) {
        String name = new ObjectMapper().readTree(c.body()).at("/metadata/name").asText();
        assertTrue("names are unique", created.add(name));
        assertEquals(r.name(), name);
      } else {
        assertEquals(LoadKind.DELETE, r.kind());
        assertEquals("DELETE", c.method());
        assertTrue("deletes a name created before it: " + r.name(), created.remove(r.name()));
        deletes++;
      }
    }
    assertThat((double) deletes / rs.size(), closeTo(0.3, 0.03));
  }

  @Test
  public void evenArrivalsAreRateTimesDurationSpacedOneOverRate() throws Exception {
    List<ReplayRequest> rs = expand("version: 1\nspecs:\n"
        + spec(40, "duration: 3", one("quorumGet", "version: v1\nresource: pods\nname: a")), 1, LoadProfileStream.Arrivals.EVEN);
    assertEquals(120, rs.size());
    for (int i = 0; i < rs.size(); i++) {
      assertEquals(i * 25L, rs.get(i).timestampMs());
      assertEquals(i, rs.get(i).sequence());
    }
    // total ends the phase first when it comes before duration
    assertEquals(7, expand("version: 1\nspecs:\n"
        + spec(40, "duration: 3\n    total: 7", one("quorumGet", "version: v1\nresource: pods\nname: a")), 1,
        LoadProfileStream.Arrivals.EVEN).size());
  }

  @Test
  public void poissonArrivalsHaveTheMeanRate() throws Exception {
    List<ReplayRequest> rs = expand("version: 1\nspecs:\n"
        + spec(200, "duration: 100", one("quorumGet", "version: v1\nresource: pods\nname: a")), 3,
        LoadProfileStream.Arrivals.POISSON);
    // 20,000 expected; a Poisson count's sd is ~141, so 3% is > 4 sd.
    assertThat((double) rs.size(), closeTo(20_000, 600));
    double sumSq = 0;
    double sum = 0;
    for (int i = 1; i < rs.size(); i++) {
      double gap = rs.get(i).timestampMs() - rs.get(i - 1).timestampMs();
      sum += gap;
      sumSq += gap * gap;
    }
    double n = rs.size() - 1;
    double mean = sum / n;
    assertThat(mean, closeTo(5.0, 0.25));
    // exponential gaps: sd equals the mean (even arrivals would have sd ~0)
    assertThat(Math.sqrt(sumSq / n - mean * mean), closeTo(5.0, 0.5));
    assertThat(rs.get(rs.size() - 1).timestampMs(), lessThan(100_000L));
  }

  static final String MIXED = "version: 1\nspecs:\n"
      + spec(50, "duration: 2",
          one("staleList", "version: v1\nresource: pods") + one("put", "version: v1\nresource: configmaps\nnamespace: d\nname: c\nkeySpaceSize: 100\nvalueSize: 8")
              + one("postDel", "version: v1\nresource: pods\nnamespace: d\ndeleteRatio: 0.5").replace("shares: 1", "shares: 3"))
      + spec(20, "duration: 1", one("quorumGet", "version: v1\nresource: pods\nname: a"));

  @Test
  public void theSameSeedGivesTheSameRequestsAndAnotherSeedOthers() throws Exception {
    List<ReplayRequest> a = expand(MIXED, 42, LoadProfileStream.Arrivals.POISSON);
    List<ReplayRequest> b = expand(MIXED, 42, LoadProfileStream.Arrivals.POISSON);
    List<ReplayRequest> c = expand(MIXED, 43, LoadProfileStream.Arrivals.POISSON);
    assertEquals(a, b);
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).body(), b.get(i).body());
    }
    assertNotEquals(a, c);
    // weighted choice: 1:1:3
    Map<LoadKind, Integer> kinds = new HashMap<>();
    for (ReplayRequest r : expand(MIXED.replace("duration: 2", "duration: 200"), 5, LoadProfileStream.Arrivals.EVEN)) {
      if (r.phase() == 0) {
        LoadKind k = r.kind() == LoadKind.DELETE ? LoadKind.POST : r.kind();
        kinds.merge(k, 1, Integer::sum);
      }
    }
    assertEquals(10_000, kinds.values().stream().mapToInt(Integer::intValue).sum());
    assertThat(kinds.get(LoadKind.STALE_LIST) / 10_000.0, closeTo(0.2, 0.02));
    assertThat(kinds.get(LoadKind.PUT) / 10_000.0, closeTo(0.2, 0.02));
    assertThat(kinds.get(LoadKind.POST) / 10_000.0, closeTo(0.6, 0.02));
  }

  @Test
  public void eachSpecIsAPhaseWithItsOwnTimeline() throws Exception {
    ProfileProblems problems = new ProfileProblems();
    ProfileStreams.Options o = new ProfileStreams.Options();
    try (RequestStream s = ProfileStreams.of(new ProfileSource(4, "dir/ts.yaml"),
        new ByteArrayInputStream(MIXED.replace("  - rate: 20", "  - name: tail\n    rate: 20").getBytes(StandardCharsets.UTF_8)), o, problems)) {
      assertThat(s, instanceOf(LoadProfileStream.class));
      assertEquals(2, s.phaseCount());
      int[] perPhase = new int[2];
      long[] last = new long[2];
      ReplayRequest r;
      while ((r = s.next()) != null) {
        perPhase[r.phase() - 4]++;
        last[r.phase() - 4] = r.timestampMs();
      }
      assertEquals(100, perPhase[0]);
      assertEquals(20, perPhase[1]);
      assertEquals("timestamps restart at each phase", 950, last[1]);
      List<PhaseInfo> phases = s.phases();
      assertEquals("ts-0", phases.get(0).name);
      assertEquals("tail", phases.get(1).name);
      assertEquals(4, phases.get(0).index);
      assertEquals(2000, phases.get(0).durationMs);
      assertEquals(1000, phases.get(1).durationMs);
      assertEquals(50.0, phases.get(0).load.rate, 0);
      assertEquals(Long.valueOf(3), phases.get(0).load.shares.get("postDel"));
    }
    assertTrue(problems.isEmpty());
  }

  /**
   * Ten minutes at 1,000 req/s stream through one at a time, never as a list (an hour is the
   * same loop, six times longer: ~390k requests/s generated here, on a shared 2-core machine).
   */
  @Test
  public void aLongPhaseIsGeneratedOnDemand() throws Exception {
    ProfileProblems problems = new ProfileProblems();
    String yaml = "version: 1\nspecs:\n" + spec(1000, "duration: 600", one("staleList", "version: v1\nresource: pods"));
    long n = 0;
    long lastT = -1;
    try (RequestStream s = ProfileStreams.of(new ProfileSource(0, "t.yaml"),
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), new ProfileStreams.Options(), problems)) {
      ReplayRequest r;
      while ((r = s.next()) != null) {
        n++;
        lastT = r.timestampMs();
      }
    }
    assertEquals(600_000, n);
    assertEquals(599_999, lastT);
  }

  @Test
  public void theFormatIsDetectedByContentGzipOrNot() throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    File gz = tmp.newFile("looks-like-anything.profile");
    try (GZIPOutputStream out = new GZIPOutputStream(new FileOutputStream(gz))) {
      out.write(MIXED.getBytes(StandardCharsets.UTF_8));
    }
    ProfileProblems problems = new ProfileProblems();
    try (RequestStream s = ProfileStreams.open(new ProfileSource(0, gz.getPath()), ReadLimits.defaults(),
        new ProfileStreams.Options(), problems)) {
      assertThat(s, instanceOf(LoadProfileStream.class));
      assertThat(s.next().timestampMs(), greaterThan(-1L));
    }
    assertTrue(problems.shown.toString(), problems.isEmpty());
    assertEquals(ProfileStreams.Format.LOAD, detect("version: 1\nspec:\n  rate: 5\n"));
    assertEquals(ProfileStreams.Format.LOAD, detect("description: x\nspecs: []\n"));
    assertEquals(ProfileStreams.Format.REPLAY, detect("version: 1\nspec:\n  runnerCount: 2\nrequests: []\n"));
    assertEquals(ProfileStreams.Format.REPLAY, detect("requests:\n- timestamp: 0\n"));
    assertEquals(ProfileStreams.Format.REPLAY, detect("not: [valid"));
  }

  private static ProfileStreams.Format detect(String yaml) {
    return ProfileStreams.detect(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
  }
}
