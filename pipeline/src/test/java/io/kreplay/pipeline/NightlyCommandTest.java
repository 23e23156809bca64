package io.kreplay.pipeline;

import static io.kreplay.pipeline.KreplayCommandsTest.SAMPLE;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Three nights in a row against the embedded API, as a user runs them: the first plans and
 * becomes the baseline; the second reuses the plan and fails its threshold (the embedded API
 * answers WATCH with 400, so the error rate is above 0%): exit 1, the baseline stays; the third
 * passes and becomes the baseline. Nights are judged by {@code kreplay compare}.
 */
public class NightlyCommandTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final ObjectMapper JSON = new ObjectMapper();

  private KreplayCommandsTest.Result night(File reports, String night, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "nightly",
                "--reports=" + reports,
                "--night=" + night,
                "--speed=12",
                "--warmup-seconds=1",
                "--grace-seconds=3",
                "--request-timeout-seconds=5"));
    args.addAll(List.of(more));
    return KreplayCommandsTest.kreplay(args.toArray(new String[0]));
  }

  private static String baselineNight(File reports) throws Exception {
    return JSON.readTree(new File(reports, NightlyCommand.BASELINE_JSON)).get("night").asText();
  }

  @Test
  public void aBaselineMovesOnlyOnNightsThatPass() throws Exception {
    File reports = tmp.newFolder("nights");

    KreplayCommandsTest.Result first = night(reports, "2026-11-22", "--max-error-rate=100%", "--profile=" + SAMPLE);
    assertEquals(first.err, 0, first.code);
    assertThat(first.out, containsString("no baseline yet"));
    assertThat(first.out, containsString("checks passed"));
    assertTrue(new File(reports, "plan/manifest.json").isFile());
    assertTrue(new File(reports, "2026-11-22/report.json").isFile());
    assertEquals("2026-11-22", baselineNight(reports));
    long planned = new File(reports, "plan/manifest.json").lastModified();

    KreplayCommandsTest.Result regression = night(reports, "2026-11-23", "--max-error-rate=0%");
    assertEquals(regression.out + regression.err, 1, regression.code);
    assertThat(regression.out, containsString("reusing the plan"));
    assertThat(regression.out, containsString("REGRESSION against 2026-11-22"));
    assertEquals("the plan was not rewritten", planned, new File(reports, "plan/manifest.json").lastModified());
    JsonNode record = JSON.readTree(new File(reports, "2026-11-23/" + NightlyCommand.NIGHT_JSON));
    assertFalse(record.get("passed").asBoolean());
    assertEquals("2026-11-22", record.get("baseline").asText());
    assertTrue("a failed night keeps its report", new File(reports, "2026-11-23/report.json").isFile());
    assertEquals("a failed night is not the baseline", "2026-11-22", baselineNight(reports));

    KreplayCommandsTest.Result pass = night(reports, "2026-11-24", "--max-error-rate=100%", "--max-p99-increase=100000%");
    assertEquals(pass.out + pass.err, 0, pass.code);
    assertThat(pass.out, containsString("comparing with the last good night 2026-11-22"));
    assertEquals("2026-11-24", baselineNight(reports));
    JsonNode report = JSON.readTree(new File(reports, "2026-11-24/report.json")).get("aggregated");
    assertEquals(18, report.get("total").asLong());

    KreplayCommandsTest.Result again = night(reports, "2026-11-24", "--max-error-rate=100%");
    assertEquals("a night's report is never overwritten", 2, again.code);
    assertThat(again.err, containsString("already has a report"));
    assertEquals(2, night(reports, "2026-11-25").code); // no threshold: nothing to judge by
    assertEquals(2, night(reports, "2026-11-25", "--max-error-rate=1%", "--baseline=" + reports).code);
  }

  @Test
  public void filesystemUrisReachBeamUnchanged() {
    // No gs/s3 filesystem is on this class path: the URI must reach Beam's FileSystems as given
    // (and be refused there by scheme), not be turned into a local path such as ./gs:/bucket.
    File cwd = new File(System.getProperty("user.dir"));
    KreplayCommandsTest.Result plan = KreplayCommandsTest.kreplay("plan", "--profile=" + SAMPLE, "--plan=gs://kreplay-test/plan");
    assertEquals(3, plan.code);
    assertThat(plan.err, containsString("No filesystem found for scheme gs"));
    KreplayCommandsTest.Result nightly =
        KreplayCommandsTest.kreplay(
            "nightly", "--profile=" + SAMPLE, "--reports=s3://kreplay-test/nights", "--night=n1", "--max-error-rate=1%");
    assertEquals(3, nightly.code);
    assertThat(nightly.err, containsString("No filesystem found for scheme s3"));
    KreplayCommandsTest.Result replay =
        KreplayCommandsTest.kreplay("replay", "--plan=hdfs://namenode/kreplay/plan", "--report=" + tmp.getRoot());
    assertThat(replay.err, containsString("No filesystem found for scheme hdfs"));
    assertFalse(new File(cwd, "gs:").exists() || new File(cwd, "s3:").exists() || new File(cwd, "hdfs:").exists());
  }
}
