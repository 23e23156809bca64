package io.kreplay.pipeline;

import static io.kreplay.pipeline.KreplayCommandsTest.SAMPLE;
import static io.kreplay.pipeline.KreplayCommandsTest.kreplay;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kreplay.pipeline.KreplayCommandsTest.Result;
import java.io.File;
import java.nio.file.Files;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** report, compare, and thresholds on run, as a user or a nightly job calls them. */
public class ReportCommandsTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  public void optionsInterfacesAreValidBeamOptions() {
    PipelineOptionsFactory.as(CompareOptions.class);
    PipelineOptionsFactory.as(ReportCommandOptions.class);
    PipelineOptionsFactory.as(RunOptions.class);
    PipelineOptionsFactory.as(ReplayPlanOptions.class);
  }

  @Test
  public void kebabCaseOptionNamesBecomeBeamsCamelCase() {
    assertArrayEquals(
        new String[] {"--maxP99Increase=10%", "--maxP99=500ms", "--speed=2", "--raw", "--current=a-b/c", "x-y"},
        Kreplay.camelCase(
            new String[] {"--max-p99-increase=10%", "--max-p99=500ms", "--speed=2", "--raw", "--current=a-b/c", "x-y"}));
  }

  /** A report.json with one phase "steady" and the aggregate, as ours writes them. */
  private File report(String name, double p99, long failed, double throughput) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    for (String phase : new String[] {"steady", "all"}) {
      ObjectNode r = JSON.createObjectNode();
      r.put("phase", phase);
      r.put("total", 1_000);
      r.put("totalRun", 1_000);
      r.put("totalFailed", failed);
      r.put("skipped", 0);
      r.put("throughput", throughput);
      r.set("correctedLatencies", JSON.valueToTree(new double[][] {{0, 0.001}, {0.5, 0.05}, {0.9, 0.1}, {0.95, 0.1},
          {0.99, p99}, {0.999, p99}, {1, p99}}));
      r.set("byUrl", JSON.readTree("[{\"url\":\"GET /api/v1/pods\",\"count\":1000,\"failed\":0,\"p50\":0.05,\"p99\":"
          + p99 + ",\"max\":" + p99 + "}]"));
      if (phase.equals("all")) {
        root.set("aggregated", r);
      } else {
        root.putArray("perSpecResults").add(r);
      }
    }
    File dir = tmp.newFolder(name);
    JSON.writeValue(new File(dir, "report.json"), root);
    return dir;
  }

  @Test
  public void compareExitsOneOnlyWhenAThresholdIsCrossed() throws Exception {
    File base = report("base", 0.200, 0, 100);
    File same = report("same", 0.219, 5, 95);
    File slower = report("slower", 0.221, 5, 95);
    Result ok = kreplay("compare", "--baseline=" + base, "--current=" + same, "--max-p99-increase=10%",
        "--max-error-rate=1%", "--min-throughput-ratio=0.9", "--max-p99=300ms");
    assertEquals(ok.err, 0, ok.code);
    assertThat(ok.out, containsString("steady"));
    assertThat(ok.out, containsString("GET /api/v1/pods"));
    assertThat(ok.out, containsString("+9.5%"));
    assertThat(ok.out, containsString("thresholds: all 8 checks passed"));

    Result regressed = kreplay("compare", "--baseline=" + base, "--current=" + new File(slower, "report.json"),
        "--max-p99-increase=10%");
    assertEquals(regressed.err, 1, regressed.code);
    assertThat(regressed.out, containsString("FAIL steady: p99 increase +10.5%"));

    Result noThresholds = kreplay("compare", "--baseline=" + base, "--current=" + slower);
    assertEquals(0, noThresholds.code);
  }

  @Test
  public void compareRejectsBadInputWithExitTwo() throws Exception {
    File base = report("base", 0.2, 0, 100);
    Result missing = kreplay("compare", "--baseline=" + base, "--current=" + tmp.newFolder("empty"));
    assertEquals(2, missing.code);
    assertThat(missing.err, containsString("--current="));
    assertThat(missing.err, containsString("not found"));
    Result badPercent = kreplay("compare", "--baseline=" + base, "--current=" + base, "--max-p99-increase=ten");
    assertEquals(2, badPercent.code);
    assertThat(badPercent.err, containsString("--max-p99-increase=ten: expected a percentage"));
    assertEquals(2, kreplay("compare", "--current=" + base).code);
  }

  @Test
  public void runChecksThresholdsAfterTheReportAndReportRebuildsItFromTheHistograms() throws Exception {
    File dir = tmp.newFolder("run");
    // Unparseable before anything is sent.
    Result bad = kreplay("run", "--profile=" + SAMPLE, "--report=" + dir, "--max-p99=500");
    assertEquals(2, bad.code);
    assertThat(bad.out, not(containsString("replaying")));

    Result r = kreplay("run", "--profile=" + SAMPLE, "--report=" + dir, "--speed=4", "--warmup-seconds=2",
        "--grace-seconds=5", "--timeline-seconds=1", "--max-p99=1us", "--max-error-rate=100%");
    assertEquals(r.err + r.out, 1, r.code);
    assertThat(r.out, containsString("FAIL all: p99"));
    assertThat(r.out, containsString("PASS all: error rate"));
    for (String f : new String[] {"report.json", "latency.hlog", "histograms.bin", "report-context.json"}) {
      assertTrue(f, new File(dir, f).length() > 0);
    }
    File json = new File(dir, "report.json");
    byte[] written = Files.readAllBytes(json.toPath());
    assertTrue(json.delete());
    Result rebuilt = kreplay("report", "--from=" + dir, "--max-p99=1h");
    assertEquals(rebuilt.err, 0, rebuilt.code);
    assertArrayEquals(written, Files.readAllBytes(json.toPath()));
    assertEquals(1.0, JSON.readTree(written).get("aggregated").get("timeline").get("windowSeconds").asDouble(), 0);

    Result self = kreplay("compare", "--baseline=" + dir, "--current=" + json, "--max-p99-increase=0%");
    assertEquals(self.err, 0, self.code);
    assertEquals(2, kreplay("report", "--from=" + tmp.newFolder("nothing")).code);
  }
}
