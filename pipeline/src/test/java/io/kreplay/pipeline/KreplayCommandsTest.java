package io.kreplay.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The commands as a user runs them: arguments in, exit code and output out. */
public class KreplayCommandsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final Path SAMPLE = Paths.get("..", "samples", "pod-lifecycle.yaml").toAbsolutePath().normalize();
  static final Path SAMPLE_GZ = Paths.get("..", "samples", "pod-lifecycle-compressed.profile").toAbsolutePath().normalize();

  static final class Result {
    int code;
    String out;
    String err;
  }

  static Result kreplay(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Result r = new Result();
    r.code = Kreplay.run(args, new PrintStream(out, true), new PrintStream(err, true));
    r.out = out.toString(StandardCharsets.UTF_8);
    r.err = err.toString(StandardCharsets.UTF_8);
    return r;
  }

  @Test
  public void optionsInterfacesAreValidBeamOptions() {
    PipelineOptionsFactory.as(ValidateOptions.class);
    PipelineOptionsFactory.as(PlanOptions.class);
    PipelineOptionsFactory.as(GenerateOptions.class);
  }

  @Test
  public void validateJsonReportsTheSummaryKeys() throws Exception {
    Result r = kreplay("validate", "--profile=" + SAMPLE, "--json");
    assertEquals(r.err, 0, r.code);
    JsonNode j = new ObjectMapper().readTree(r.out);
    assertEquals(18, j.get("requests").asLong());
    assertEquals(12_000, j.get("durationMs").asLong());
    assertEquals(5, j.get("verbs").get("LIST").asLong());
    assertEquals(2, j.get("perShard").size());
    assertEquals(18, j.get("perShard").get(0).asLong() + j.get("perShard").get(1).asLong());
    assertTrue(j.get("imbalance").isNumber());
  }

  @Test
  public void gzipAndPlainGiveTheSameSummary() throws Exception {
    ObjectMapper m = new ObjectMapper();
    JsonNode plain = m.readTree(kreplay("validate", "--profile=" + SAMPLE, "--json", "--shards=5").out);
    JsonNode gz = m.readTree(kreplay("validate", "--profile=" + SAMPLE_GZ, "--json", "--shards=5").out);
    for (String key : new String[] {"requests", "durationMs", "verbs", "perShard", "imbalance"}) {
      assertEquals(key, plain.get(key), gz.get(key));
    }
  }

  @Test
  public void invalidInputExitsTwoWithEveryProblemOnStderr() throws Exception {
    File bad = tmp.newFile("bad.yaml");
    String yaml =
        new String(Files.readAllBytes(SAMPLE), StandardCharsets.UTF_8)
            .replace("runnerCount: 2", "runnerCount: 0")
            .replace("verb: DELETECOLLECTION", "verb: DELETEALL");
    Files.write(bad.toPath(), yaml.getBytes(StandardCharsets.UTF_8));
    Result r = kreplay("validate", "--profile=" + bad, "--shards=2");
    assertEquals(2, r.code);
    assertEquals("", r.out);
    assertThat(r.err, containsString("bad.yaml: spec (line 6): runnerCount: must be > 0, got 0"));
    assertThat(r.err, containsString("bad.yaml: requests[15] (line "));
    assertThat(r.err, containsString("verb: unsupported verb 'DELETEALL'"));
    assertThat(r.err, containsString("2 problems found; nothing was sent."));
  }

  @Test
  public void planWritesAManifestAndAFailedReplanRemovesIt() throws Exception {
    File plan = tmp.newFolder("plan");
    Result ok = kreplay("plan", "--profile=" + SAMPLE, "--plan=" + plan, "--planWindowSeconds=5");
    assertEquals(ok.err, 0, ok.code);
    File manifest = new File(plan, "manifest.json");
    assertTrue(manifest.exists());
    JsonNode m = new ObjectMapper().readTree(manifest);
    assertEquals(2, m.get("shards").asInt());
    assertEquals("jump", m.get("partitioner").asText());
    assertEquals(5_000, m.get("windowMs").asLong());
    long inSegments = 0;
    for (JsonNode s : m.get("segments")) {
      inSegments += s.get("requests").asLong();
      assertTrue(new File(plan, s.get("path").asText()).isFile());
    }
    assertEquals(18, inSegments);
    assertEquals(SAMPLE.toString(), m.get("phases").get(0).get("source").asText());

    Result bad = kreplay("plan", "--profile=" + tmp.newFile("empty.yaml"), "--plan=" + plan, "--shards=2");
    assertEquals(2, bad.code);
    assertFalse("an invalid re-plan leaves no manifest to replay", manifest.exists());
  }

  @Test
  public void plansAProfileServedOverHttpWithoutShowingItsQueryString() throws Exception {
    byte[] gz = Files.readAllBytes(SAMPLE_GZ);
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/profiles/lifecycle",
        ex -> {
          ex.sendResponseHeaders(200, gz.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(gz);
          }
        });
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      File plan = tmp.newFolder("url-plan");
      Result r = kreplay("plan", "--profile=" + base + "/profiles/lifecycle?sig=s3cr3t", "--plan=" + plan);
      assertEquals(r.err, 0, r.code);
      String manifest = new String(Files.readAllBytes(new File(plan, "manifest.json").toPath()), StandardCharsets.UTF_8);
      assertThat(manifest, containsString("\"requests\" : 18"));
      assertThat(manifest, not(containsString("s3cr3t")));
      assertThat(r.out, not(containsString("s3cr3t")));

      Result missing = kreplay("validate", "--profile=" + base + "/nothing-here?sig=s3cr3t");
      assertEquals(2, missing.code);
      assertThat(missing.err, containsString("HTTP 404"));
      assertThat(missing.err, not(containsString("s3cr3t")));
    } finally {
      server.stop(0);
    }
  }

  @Test
  public void generatedProfilesValidateWithTheRequestedShape() throws Exception {
    File out = tmp.newFile("synthetic.yaml.gz");
    Result g =
        kreplay("generate", "--out=" + out, "--requests=5000", "--durationSeconds=10", "--objects=50", "--gzip=true", "--runnerCount=3");
    assertEquals(g.err, 0, g.code);
    JsonNode j = new ObjectMapper().readTree(kreplay("validate", "--profile=" + out, "--json").out);
    assertEquals(5000, j.get("requests").asLong());
    assertEquals(10_000, j.get("durationMs").asLong());
    assertEquals(3, j.get("perShard").size());
    assertEquals(7, j.get("verbs").size() + 1); // 6 verbs in the lifecycle (LIST twice), 7 steps
  }

  @Test
  public void helpListsOptionsWithDefaultsAndUsageErrorsExitTwo() {
    Result help = kreplay("plan", "--help");
    assertEquals(0, help.code);
    assertThat(help.out, containsString("--plan=<String>  (required)"));
    assertThat(help.out, containsString("--partitioner=<String>  (default: jump)"));
    assertThat(help.out, containsString("--planWindowSeconds=<int>  (default: 60)"));
    assertEquals(0, kreplay("--help").code);
    assertEquals(2, kreplay().code);
    assertEquals(2, kreplay("frobnicate").code);
    Result unknown = kreplay("validate", "--profile=" + SAMPLE, "--sharts=3");
    assertEquals(2, unknown.code);
    assertThat(unknown.err, containsString("sharts"));
    assertEquals(2, kreplay("validate", "--profile=" + SAMPLE, "--partitioner=ring").code);
    assertEquals(2, kreplay("plan", "--profile=" + SAMPLE).code);
    assertEquals(2, kreplay("validate", "--profile=/no/such/profile.yaml").code);
  }

  @Test
  public void runPlansReplaysAgainstTheEmbeddedApiAndWritesAKperfReport() throws Exception {
    File report = tmp.newFolder("report");
    long startAt = System.currentTimeMillis() + 10_000; // after planning, even on a busy machine
    Result r =
        kreplay("run", "--profile=" + SAMPLE, "--report=" + report, "--speed=4", "--startAt=" + startAt,
            "--ordering=strict", "--graceSeconds=5");
    assertEquals(r.err, 0, r.code);
    assertThat(r.out, containsString("starting an embedded Kubernetes API"));
    assertThat("every shard starts at --startAt", r.out, containsString("(epoch ms " + startAt + ")"));
    JsonNode j = new ObjectMapper().readTree(new File(report, "report.json"));
    JsonNode a = j.get("aggregated");
    assertEquals(18, a.get("total").asLong());
    assertEquals(a.get("total").asLong(), a.get("totalRun").asLong() + a.get("skipped").asLong());
    assertEquals(1, j.get("perSpecResults").size());
    assertEquals("pod-lifecycle", j.get("perSpecResults").get(0).get("phase").asText());
    assertTrue(a.get("percentileLatenciesByURL").has("POST /api/v1/namespaces/kreplay-demo/pods"));
    assertTrue(new File(report, "histograms.bin").length() > 0);
  }

  @Test
  public void aRunNearlyOutOfHeapStopsEarlyWritesItsReportAndExitsThree() throws Exception {
    File report = tmp.newFolder("heap-report");
    long startAt = System.currentTimeMillis() + 10_000;
    // A guard so low that any collection trips it, and collections while the run goes on.
    Thread collector =
        new Thread(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            System.gc();
            try {
              Thread.sleep(200);
            } catch (InterruptedException e) {
              return;
            }
          }
        });
    collector.setDaemon(true);
    collector.start();
    Result r;
    try {
      r = kreplay("run", "--profile=" + SAMPLE, "--report=" + report, "--speed=4", "--startAt=" + startAt,
          "--graceSeconds=5", "--heapStopFraction=0.000001");
    } finally {
      collector.interrupt();
    }
    assertEquals(r.err, 3, r.code);
    assertThat(r.out, containsString("stopped early because the heap was nearly full"));
    assertThat(r.out, containsString("stopped early by: heap"));
    JsonNode j = new ObjectMapper().readTree(new File(report, "report.json"));
    assertEquals("heap", j.get("run").get("stoppedBy").asText());
    JsonNode a = j.get("aggregated");
    assertEquals("every planned request is counted", 18, a.get("total").asLong());
    assertEquals(a.get("total").asLong(), a.get("totalRun").asLong() + a.get("skipped").asLong());
    assertTrue("requests not sent count as skipped", a.get("skipped").asLong() > 0);
    assertFalse("no charts drawn in a nearly full heap", new File(report, "report.html").exists());
    assertTrue(new File(report, "histograms.bin").length() > 0);
  }

  @Test
  public void heapStopFractionOutsideZeroToOneIsAUsageError() throws Exception {
    Result r = kreplay("run", "--profile=" + SAMPLE, "--report=" + tmp.newFolder("r"), "--heapStopFraction=1.5");
    assertEquals(2, r.code);
    assertThat(r.err, containsString("--heapStopFraction"));
  }

  static final Path LOAD_SAMPLE = Paths.get("..", "samples", "timeseries-replay.yaml").toAbsolutePath().normalize();

  @Test
  public void aLoadProfileValidatesAsOnePhasePerSpecWithItsSettings() throws Exception {
    Result r = kreplay("validate", "--profile=" + LOAD_SAMPLE, "--json");
    assertEquals(r.err, 0, r.code);
    JsonNode j = new ObjectMapper().readTree(r.out);
    assertEquals("a load profile runs on one shard unless --shards says otherwise", 1, j.get("shards").asInt());
    assertEquals(10 * 30 + 100 * 20 + 25 * 30, j.get("requests").asLong());
    assertEquals(80_000, j.get("durationMs").asLong());
    JsonNode phases = j.get("phases");
    assertEquals(3, phases.size());
    String[] names = {"baseline", "spike", "recovery"};
    long[] offsets = {0, 30_000, 50_000};
    double[] rates = {10, 100, 25};
    for (int i = 0; i < 3; i++) {
      JsonNode p = phases.get(i);
      assertEquals(i, p.get("index").asInt());
      assertEquals(names[i], p.get("name").asText());
      assertEquals(offsets[i], p.get("offsetMs").asLong());
      assertEquals(rates[i], p.get("load").get("rate").asDouble(), 0);
      assertEquals("even", p.get("load").get("arrivals").asText());
    }
    assertEquals(20, phases.get(1).get("load").get("client").asInt());
    assertEquals(3, phases.get(1).get("load").get("maxRetries").asInt());
  }

  @Test
  public void phasesSplitAReplayProfileAndGapsSeparateProfiles() throws Exception {
    ObjectMapper m = new ObjectMapper();
    Result r = kreplay("validate", "--profile=" + SAMPLE, "--json", "--phases=create@0,churn@4s");
    assertEquals(r.err, 0, r.code);
    JsonNode phases = m.readTree(r.out).get("phases");
    assertEquals(2, phases.size());
    assertEquals("churn", phases.get(1).get("name").asText());
    assertEquals(4_000, phases.get(1).get("offsetMs").asLong());
    assertEquals(18, phases.get(0).get("requests").asLong() + phases.get(1).get("requests").asLong());
    assertEquals(12_000, m.readTree(r.out).get("durationMs").asLong());

    r = kreplay("validate", "--profile=" + SAMPLE + "," + LOAD_SAMPLE, "--json", "--phaseGapSeconds=2", "--shards=2");
    assertEquals(r.err, 0, r.code);
    phases = m.readTree(r.out).get("phases");
    assertEquals(4, phases.size());
    assertEquals("the load profile's phases follow, after the gap", 12_000 + 2_000, phases.get(1).get("offsetMs").asLong());
    assertEquals(14_000 + 30_000, phases.get(2).get("offsetMs").asLong());

    r = kreplay("validate", "--profile=" + SAMPLE + "," + LOAD_SAMPLE, "--phases=a@0,b@1");
    assertEquals(2, r.code);
    assertThat(r.err, containsString("--phases splits one replay profile"));
    assertEquals(2, kreplay("validate", "--profile=" + SAMPLE, "--phases=a@3").code);
    assertEquals(2, kreplay("validate", "--profile=" + LOAD_SAMPLE, "--arrivals=bursty").code);
  }

  /** Short phases replayed against the embedded API: each phase's arrivals are its rate x duration. */
  @Test
  public void runReplaysALoadProfilePhaseByPhaseAgainstTheEmbeddedApi() throws Exception {
    File profile = tmp.newFile("steps.yaml");
    String requests = "    requests:\n"
        + "      - shares: 3\n        staleList: {version: v1, resource: pods, namespace: default}\n"
        + "      - shares: 1\n        quorumList: {version: v1, resource: pods, namespace: default, limit: 10}\n"
        + "      - shares: 1\n        postDel: {version: v1, resource: pods, namespace: default, deleteRatio: 0.4}\n";
    String yaml = "version: 1\nspecs:\n"
        + "  - name: low\n    rate: 20\n    duration: 2\n    conns: 1\n    client: 2\n    contentType: json\n" + requests
        + "  - name: high\n    rate: 60\n    duration: 3\n    conns: 2\n    client: 8\n    contentType: protobuf\n" + requests;
    Files.write(profile.toPath(), yaml.getBytes(StandardCharsets.UTF_8));
    File report = tmp.newFolder("load-report");
    Result r = kreplay("run", "--profile=" + profile, "--report=" + report, "--arrivals=poisson", "--seed=7",
        "--warmupSeconds=2", "--graceSeconds=10");
    assertEquals(r.err, 0, r.code);
    JsonNode j = new ObjectMapper().readTree(new File(report, "report.json"));
    JsonNode perSpec = j.get("perSpecResults");
    assertEquals(2, perSpec.size());
    double[] expected = {20 * 2, 60 * 3};
    for (int i = 0; i < 2; i++) {
      JsonNode p = perSpec.get(i);
      long run = p.get("totalRun").asLong();
      // Poisson arrivals: within ~2 standard deviations of rate x duration (seeded, so fixed).
      assertEquals(p.get("phase").asText(), expected[i], run, 2 * Math.sqrt(expected[i]));
      assertEquals("every arrival was sent and answered: " + p.get("errorStats"), p.get("total").asLong(), run);
      assertEquals(0, p.get("totalFailed").asLong());
    }
    assertTrue(perSpec.get(1).get("percentileLatenciesByURL").has("LIST /api/v1/namespaces/default/pods?resourceVersion=0"));
    assertTrue(perSpec.get(1).get("percentileLatenciesByURL").has("DELETE /api/v1/namespaces/default/pods/:name"));
  }

  @Test
  public void startAtAndOrderingAreCheckedBeforeAnythingIsSent() throws Exception {
    String report = "--report=" + tmp.newFolder("r");
    Result past = kreplay("run", "--profile=" + SAMPLE, report, "--startAt=2020-01-01T00:00:00Z");
    assertEquals(2, past.code);
    assertThat(past.err, containsString("in the past"));
    Result garbled = kreplay("run", "--profile=" + SAMPLE, report, "--startAt=tomorrow");
    assertEquals(2, garbled.code);
    assertThat(garbled.err, containsString("ISO-8601"));
    Result ordering = kreplay("run", "--profile=" + SAMPLE, report, "--ordering=fifo");
    assertEquals(2, ordering.code);
    assertThat(ordering.err, containsString("'timestamp' or 'strict'"));
    assertThat("nothing was replayed", ordering.out, not(containsString("replaying")));
    Result conns = kreplay("run", "--profile=" + SAMPLE, report, "--conns=0");
    assertEquals(2, conns.code);
    assertThat(conns.err, containsString("--conns must be > 0"));
  }

  @Test
  public void replayRefusesADirectoryThatIsNotAPlan() throws Exception {
    Result r = kreplay("replay", "--plan=" + tmp.newFolder("not-a-plan"), "--report=" + tmp.newFolder("r"));
    assertEquals(2, r.code);
    assertThat(r.err, containsString("is not a plan"));
  }
}
