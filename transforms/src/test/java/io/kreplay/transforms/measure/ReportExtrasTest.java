package io.kreplay.transforms.measure;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kreplay.transforms.plan.PlanManifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.Test;

/** The report's extras beside kperf's keys: timeline, URL cap, phases, partition, by-URL rows. */
public class ReportExtrasTest {
  static final long WINDOW_MICROS = 10_000_000;
  static final long SEC = 1_000_000_000L;

  /** 3 phases over 60 s, one request every 10 ms; latencies 1..~500 ms; some failures and skips. */
  static List<Outcome> run(long seed) {
    Random r = new Random(seed);
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      long intended = i * 10_000_000L;
      int phase = (int) (intended / (20 * SEC));
      long sent = intended + r.nextInt(2_000_000);
      long done = sent + 1_000_000 + (long) (1_000_000 * Math.pow(500, r.nextDouble()));
      String url = "/api/v1/namespaces/n/pods/p" + (i % 7);
      if (i % 97 == 0) {
        out.add(Outcome.failed(phase, "GET", url, intended, sent, done, i % 2 == 0 ? "http/500" : "http/429", 0, 0));
      } else if (i % 211 == 0) {
        out.add(Outcome.skipped(phase, "GET", url, intended, "deadline"));
      } else {
        out.add(Outcome.ok(phase, "GET", url, intended, sent, done, 10, 0));
      }
    }
    return out;
  }

  static HistogramSet record(List<Outcome> outcomes, int maxUrls) {
    HistogramSet set = new HistogramSet(WINDOW_MICROS, maxUrls);
    outcomes.forEach(o -> set.add(o, 0));
    return set;
  }

  static ReportContext context() {
    return context(1.0);
  }

  static ReportContext context(double speed) {
    PlanManifest m = new PlanManifest();
    m.shards = 2;
    m.perShard = new long[] {3_100, 2_900};
    m.durationMs = 60_000;
    m.imbalance = PlanManifest.imbalance(m.perShard);
    for (int p = 0; p < 3; p++) {
      PlanManifest.Phase ph = new PlanManifest.Phase();
      ph.index = p;
      ph.name = new String[] {"warm", "peak", "cool"}[p];
      ph.offsetMs = p * 20_000L;
      ph.durationMs = 20_000;
      ph.requests = 2_000;
      ph.perShard = new long[] {1_000 + p, 1_000 - p};
      m.phases.add(ph);
    }
    return ReportContext.fromManifest(m, speed).startedAt(1_700_000_000_000_000L).target("https://user:pw@api:6443/?token=x")
        .measured(new MeasureSettings(10_000, 1_000, null));
  }

  @Test
  public void timelineCountsEachRequestInTheWindowItWasIntendedFor() {
    List<Outcome> all = run(1);
    HistogramSet set = record(all, 0);
    TreeMap<Long, WindowStats> windows = set.timeline(-1);
    assertEquals(6, windows.size());
    for (long w = 0; w < 6; w++) {
      long from = w * 10 * SEC;
      List<Outcome> in = new ArrayList<>();
      for (Outcome o : all) {
        if (o.intendedNanos >= from && o.intendedNanos < from + 10 * SEC) {
          in.add(o);
        }
      }
      WindowStats ws = windows.get(w);
      assertEquals(in.size(), ws.requests());
      assertEquals(in.stream().filter(o -> o.result == Outcome.Result.FAILED).count(), ws.failed());
      assertEquals(in.stream().filter(o -> o.result == Outcome.Result.SKIPPED).count(), ws.skipped());
      assertEquals(in.stream().filter(o -> "http/429".equals(o.errorKey)).count(),
          (long) ws.errors().getOrDefault("http/429", 0L));
      long[] sorted = in.stream().filter(o -> o.result == Outcome.Result.OK).mapToLong(Outcome::latencyMicros)
          .sorted().toArray();
      for (double p : new double[] {50, 99}) {
        double expected = HistogramSetTest.nearestRank(sorted, p / 100);
        // 2 significant digits: within 1%.
        assertThat("window " + w + " p" + p, ws.latency().getValueAtPercentile(p) / 1e6,
            closeTo(expected, expected * 0.01 + 1e-6));
      }
    }
    // A phase's timeline holds only its own requests: phase 1 is windows 2 and 3.
    assertEquals(new TreeSet<>(Arrays.asList(2L, 3L)), new TreeSet<>(set.timeline(1).keySet()));
  }

  @Test
  public void timelineAndUrlCapSurviveMergingShardsAndTheCoder() {
    List<Outcome> all = run(2);
    HistogramSet whole = record(all, 0);
    HistogramSet merged = new HistogramSet(); // as CombineHistograms' empty accumulator
    for (int s = 0; s < 3; s++) {
      HistogramSet shard = new HistogramSet(WINDOW_MICROS, 0);
      for (int i = s; i < all.size(); i += 3) {
        shard.add(all.get(i), 0);
      }
      merged.merge(HistogramSetTest.roundTrip(shard));
    }
    assertEquals(WINDOW_MICROS, merged.windowMicros());
    TreeMap<Long, WindowStats> a = whole.timeline(-1);
    TreeMap<Long, WindowStats> b = merged.timeline(-1);
    assertEquals(a.keySet(), b.keySet());
    for (long w : a.keySet()) {
      assertEquals(a.get(w).latency(), b.get(w).latency());
      assertEquals(a.get(w).requests(), b.get(w).requests());
      assertEquals(a.get(w).errors(), b.get(w).errors());
    }
    HistogramSetTest.assertSameStats(whole, merged);
  }

  @Test
  public void urlsBeyondTheCapFoldIntoOtherPerMethodAndPhase() {
    HistogramSet set = new HistogramSet(WINDOW_MICROS, 3);
    for (int i = 0; i < 10; i++) {
      set.add(Outcome.ok(0, "GET", "/api/v1/pods/p" + i, 0, 0, 1_000_000, 0, 0), 0);
      set.add(Outcome.ok(1, "GET", "/api/v1/pods/p" + i, 0, 0, 1_000_000, 0, 0), 0);
    }
    set.add(Outcome.ok(0, "DELETE", "/api/v1/pods/:name", 0, 0, 1_000_000, 0, 0), 0);
    set.add(Outcome.ok(0, "GET", "/api/v1/pods/p1", 0, 0, 1_000_000, 0, 0), 0); // kept: already known
    Map<String, Stats> phase0 = set.byUrl(0);
    assertEquals(new TreeSet<>(Arrays.asList("GET /api/v1/pods/p0", "GET /api/v1/pods/p1", "GET /api/v1/pods/p2",
        "GET (other)", "DELETE (other)")), phase0.keySet());
    assertEquals(2, phase0.get("GET /api/v1/pods/p1").total());
    assertEquals(7, phase0.get("GET (other)").total());
    assertEquals(8, set.foldedRequests(0));
    assertEquals(7, set.foldedRequests(1));
    assertEquals(15, set.foldedRequests(-1));
    assertEquals("nothing is lost", 22, set.rollUp(-1).total());

    // Shards that each stayed under the cap still fold when merged: the accumulator is capped too.
    HistogramSet merged = new HistogramSet();
    for (int s = 0; s < 4; s++) {
      HistogramSet shard = new HistogramSet(WINDOW_MICROS, 3);
      for (int i = 0; i < 3; i++) {
        shard.add(Outcome.ok(0, "GET", "/s" + s + "/u" + i, 0, 0, 1_000_000, 0, 0), 0);
      }
      merged.merge(HistogramSetTest.roundTrip(shard));
    }
    assertEquals(4, merged.byUrl(0).size()); // 3 URLs + GET (other)
    assertEquals(9, merged.foldedRequests(0));
    assertEquals(12, merged.rollUp(0).total());
  }

  @Test
  public void reportCarriesTheExtrasOfTheContractPerPhaseAndAggregated() {
    HistogramSet set = record(run(3), 5);
    ObjectNode report = KperfReport.build(set, context());
    JsonNode run = report.get("run");
    for (String k : new String[] {"startedAt", "target", "speed", "shards", "kreplayVersion"}) {
      assertTrue("run." + k, run.has(k));
    }
    assertEquals("2023-11-14T22:13:20Z", run.get("startedAt").asText());
    assertEquals("credentials and query strings stay out of reports", "https://api:6443/", run.get("target").asText());
    List<JsonNode> results = new ArrayList<>();
    report.get("perSpecResults").forEach(results::add);
    results.add(report.get("aggregated"));
    assertEquals(4, results.size());
    for (JsonNode r : results) {
      String phase = r.get("phase").asText();
      for (String k : new String[] {"total", "duration", "errorStats", "totalReceivedBytes", "percentileLatencies",
          "percentileLatenciesByURL", "totalRun", "totalFailed", "phase", "startSeconds", "endSeconds", "skipped",
          "retries", "intendedRate", "throughput", "correctedLatencies", "servicePercentiles", "lagPercentiles",
          "latencyDistribution", "partition", "timeline", "byUrl", "foldedRequests"}) {
        assertTrue(phase + " has " + k, r.has(k));
      }
      for (String k : new String[] {"correctedLatencies", "servicePercentiles", "lagPercentiles"}) {
        assertEquals(7, r.get(k).size());
        assertEquals(0.999, r.get(k).get(5).get(0).asDouble(), 0);
      }
      JsonNode dist = r.get("latencyDistribution").get("corrected");
      assertEquals(0, dist.get(0).get(0).asDouble(), 0);
      assertEquals(100, dist.get(dist.size() - 1).get(0).asDouble(), 0);
      assertTrue(r.get("latencyDistribution").has("service"));
      JsonNode partition = r.get("partition");
      assertEquals(2, partition.get("shards").asInt());
      assertEquals(2, partition.get("perShard").size());
      assertTrue(partition.has("imbalance"));
      JsonNode timeline = r.get("timeline");
      assertEquals(10, timeline.get("windowSeconds").asDouble(), 0);
      JsonNode w = timeline.get("windows").get(0);
      for (String k : new String[] {"startSeconds", "requests", "ok", "failed", "skipped", "errors", "p50", "p99"}) {
        assertTrue(phase + " window has " + k, w.has(k));
      }
      double last = Double.MAX_VALUE;
      for (JsonNode u : r.get("byUrl")) {
        for (String k : new String[] {"url", "count", "failed", "p50", "p99", "max"}) {
          assertTrue(phase + " byUrl has " + k, u.has(k));
        }
        assertThat("slowest p99 first", last, greaterThanOrEqualTo(u.get("p99").asDouble()));
        last = u.get("p99").asDouble();
      }
    }
    JsonNode peak = results.get(1);
    assertEquals("peak", peak.get("phase").asText());
    assertEquals(20, peak.get("startSeconds").asDouble(), 0);
    assertEquals(40, peak.get("endSeconds").asDouble(), 0);
    assertEquals(100, peak.get("intendedRate").asDouble(), 1e-9); // 2,000 requests over 20 s
    assertEquals(2, peak.get("timeline").get("windows").size());
    assertEquals(20, peak.get("timeline").get("windows").get(0).get("startSeconds").asDouble(), 0);
    assertEquals(1_001, peak.get("partition").get("perShard").get(0).asLong());
    JsonNode all = results.get(3);
    assertEquals("all", all.get("phase").asText());
    assertEquals(6, all.get("timeline").get("windows").size());
    assertEquals(6_000, all.get("total").asLong());
    assertEquals(3_100, all.get("partition").get("perShard").get(0).asLong());
    // 7 URLs, cap 5: two fold into "GET (other)", and the report says how many requests did.
    assertEquals(6, peak.get("byUrl").size());
    assertTrue(peak.get("foldedRequests").asLong() > 0);
    assertEquals(set.foldedRequests(1), peak.get("foldedRequests").asLong());
  }

  @Test
  public void correctedLatencyPercentilesMatchAnIndependentComputation() {
    List<Outcome> all = run(4);
    HistogramSet set = record(all, 0);
    JsonNode agg = KperfReport.build(set, context()).get("aggregated");
    long[] sorted = all.stream().filter(o -> o.result == Outcome.Result.OK).mapToLong(Outcome::latencyMicros)
        .sorted().toArray();
    JsonNode corrected = agg.get("correctedLatencies");
    for (int i = 0; i < KperfReport.EXTENDED_PERCENTILES.length; i++) {
      double p = KperfReport.EXTENDED_PERCENTILES[i];
      double expected = HistogramSetTest.nearestRank(sorted, p);
      assertThat("p" + p, corrected.get(i).get(1).asDouble(), closeTo(expected, expected * 0.001 + 1e-6));
    }
    JsonNode w = agg.get("timeline").get("windows");
    assertFalse(w.get(0).get("p99").isNull());
  }

  @Test
  public void phaseRangesAreReplayTimeAtTheGivenSpeed() {
    ReportContext c = context(2.0);
    assertEquals(10, c.phases.get(1).startSeconds, 0);
    assertEquals(20, c.phases.get(1).endSeconds, 0);
    assertEquals(30, c.totalSeconds, 0);
    assertEquals(2.0, c.run.speed, 0);
  }
}
