package io.kreplay.transforms.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.Test;

public class ThresholdsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One result as our report has it: corrected p50/p99, counts, throughput. */
  static ObjectNode result(String phase, double p50, double p99, long total, long failed, long skipped, double rps) {
    ObjectNode r = JSON.createObjectNode();
    r.put("phase", phase);
    r.put("total", total);
    r.put("totalRun", total - skipped);
    r.put("totalFailed", failed);
    r.put("skipped", skipped);
    r.put("throughput", rps);
    r.set("correctedLatencies", JSON.valueToTree(new double[][] {{0, 0.001}, {0.5, p50}, {0.9, p99}, {0.95, p99},
        {0.99, p99}, {0.999, p99}, {1, p99}}));
    r.set("percentileLatencies", JSON.valueToTree(new double[][] {{0, 0.001}, {0.5, p50 / 2}, {0.9, p99 / 2},
        {0.95, p99 / 2}, {0.99, p99 / 2}, {1, p99 / 2}}));
    return r;
  }

  static ObjectNode report(ObjectNode phase, ObjectNode all) {
    ObjectNode r = JSON.createObjectNode();
    r.putArray("perSpecResults").add(phase);
    r.set("aggregated", all);
    return r;
  }

  static ObjectNode report(double p50, double p99, long failed, long skipped, double rps) {
    return report(result("steady", p50, p99, 1_000, failed, skipped, rps),
        result("all", p50, p99, 1_000, failed, skipped, rps));
  }

  static boolean passes(Thresholds t, ObjectNode current, ObjectNode baseline) {
    List<Thresholds.Verdict> v = t.check(current, baseline);
    assertFalse("something was checked", v.isEmpty());
    return v.stream().allMatch(x -> x.passed);
  }

  static Thresholds t(String maxP50, String maxP99, String p50Inc, String p99Inc, String err, String ratio) {
    return Thresholds.parse(maxP50, maxP99, p50Inc, p99Inc, err, ratio);
  }

  @Test
  public void absoluteLatencyLimitsOnBothSides() {
    assertTrue(passes(t(null, "500ms", null, null, null, null), report(0.1, 0.5, 0, 0, 100), null));
    assertFalse(passes(t(null, "500ms", null, null, null, null), report(0.1, 0.501, 0, 0, 100), null));
    assertTrue(passes(t("100ms", null, null, null, null, null), report(0.1, 0.9, 0, 0, 100), null));
    assertFalse(passes(t("0.099s", null, null, null, null, null), report(0.1, 0.9, 0, 0, 100), null));
  }

  @Test
  public void errorRateCountsFailedAndSkipped() {
    assertTrue(passes(t(null, null, null, null, "1%", null), report(0.1, 0.2, 6, 4, 100), null)); // 1.0%
    assertFalse(passes(t(null, null, null, null, "1%", null), report(0.1, 0.2, 6, 5, 100), null)); // 1.1%
  }

  @Test
  public void relativeLimitsAgainstTheBaselineOnBothSides() {
    ObjectNode base = report(0.100, 0.400, 0, 0, 100);
    Thresholds p99 = t(null, null, null, "10%", null, null);
    assertTrue(passes(p99, report(0.1, 0.440, 0, 0, 100), base));
    assertFalse(passes(p99, report(0.1, 0.441, 0, 0, 100), base));
    Thresholds p50 = t(null, null, "5%", null, null, null);
    assertTrue(passes(p50, report(0.104, 0.9, 0, 0, 100), base));
    assertFalse(passes(p50, report(0.106, 0.4, 0, 0, 100), base));
    Thresholds rate = t(null, null, null, null, null, "0.9");
    assertTrue(passes(rate, report(0.1, 0.4, 0, 0, 90), base));
    assertFalse(passes(rate, report(0.1, 0.4, 0, 0, 89.9), base));
    assertFalse(passes(t(null, null, null, null, null, "95%"), report(0.1, 0.4, 0, 0, 94), base));
  }

  @Test
  public void phasesAreMatchedByNameAndEachIsJudged() {
    ObjectNode base = report(result("steady", 0.1, 0.4, 100, 0, 0, 10), result("all", 0.1, 0.4, 100, 0, 0, 10));
    // The phase regressed while the aggregate did not: still a failure, named.
    ObjectNode cur = report(result("steady", 0.1, 0.8, 100, 0, 0, 10), result("all", 0.1, 0.4, 100, 0, 0, 10));
    List<Thresholds.Verdict> v = t(null, null, null, "10%", null, null).check(cur, base);
    assertEquals(2, v.size());
    assertFalse(v.get(0).passed);
    assertEquals("steady", v.get(0).phase);
    assertTrue(v.get(1).passed);
    // A phase the baseline does not have is not compared.
    ObjectNode renamed = report(result("other", 0.1, 0.8, 100, 0, 0, 10), result("all", 0.1, 0.4, 100, 0, 0, 10));
    assertEquals(1, t(null, null, null, "10%", null, null).check(renamed, base).size());
  }

  @Test
  public void kperfsOwnReportsAreComparedOnServiceTime() {
    ObjectNode base = report(0.1, 0.4, 0, 0, 100);
    ObjectNode cur = report(0.1, 0.4, 0, 0, 100);
    base.get("aggregated").with("x");
    ((ObjectNode) base.get("aggregated")).remove("correctedLatencies");
    // percentileLatencies p99 is 0.2 in both: equal, although corrected would not be compared.
    List<Thresholds.Verdict> v = t(null, null, null, "0%", null, null).check(cur, base);
    assertTrue(v.stream().allMatch(x -> x.passed && x.rule.contains("service")));
  }

  @Test
  public void badValuesAreOneClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t(null, "500", null, null, null, null));
    assertTrue(e.getMessage(), e.getMessage().startsWith("--max-p99=500: expected a duration with a unit"));
    e = assertThrows(IllegalArgumentException.class, () -> t(null, null, null, "10", null, null));
    assertTrue(e.getMessage(), e.getMessage().startsWith("--max-p99-increase=10: expected a percentage"));
    e = assertThrows(IllegalArgumentException.class, () -> t(null, null, null, null, "lots", null));
    assertTrue(e.getMessage(), e.getMessage().contains("--max-error-rate"));
    assertEquals(Long.valueOf(1_500_000), Thresholds.duration("x", "1.5s"));
    assertEquals(Long.valueOf(250), Thresholds.duration("x", "250us"));
    assertEquals(Long.valueOf(120_000_000), Thresholds.duration("x", "2m"));
    assertEquals(0.1, Thresholds.percent("x", "10%", false), 1e-12);
    assertEquals(0.9, Thresholds.percent("x", "90%", true), 1e-12);
    assertEquals(0.9, Thresholds.percent("x", "0.9", true), 1e-12);
    assertTrue(t(null, null, null, null, null, null).isEmpty());
  }
}
