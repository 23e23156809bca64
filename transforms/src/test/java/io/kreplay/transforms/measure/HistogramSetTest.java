package io.kreplay.transforms.measure;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;

public class HistogramSetTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  static final String LIST_URL = "/api/v1/namespaces/d/pods";

  /** kperf's nearest-rank rule, on the raw values: the independent oracle. */
  static double nearestRank(long[] sortedMicros, double p) {
    int idx = (int) Math.ceil(sortedMicros.length * p);
    return sortedMicros[Math.max(0, idx - 1)] / 1e6;
  }

  /** Service times 100 µs .. ~2 s, log-uniform; sent 0-5 ms after intended. */
  static List<Outcome> outcomes(int n, long seed) {
    Random r = new Random(seed);
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long intended = i * 1_000_000L;
      long sent = intended + r.nextInt(5_000_000);
      long service = (long) (100_000 * Math.pow(20_000, r.nextDouble()));
      String method = i % 3 == 0 ? "LIST" : "GET";
      String url = i % 3 == 0 ? LIST_URL : LIST_URL + "/p" + (i % 2);
      out.add(Outcome.ok(i % 2, method, url, intended, sent, sent + service, 100, 0));
    }
    return out;
  }

  static long[] sortedServiceMicros(List<Outcome> outcomes) {
    return outcomes.stream().mapToLong(Outcome::serviceMicros).sorted().toArray();
  }

  @Test
  public void percentilesMatchNearestRankWithinHdrPrecision() {
    List<Outcome> all = outcomes(20_000, 1);
    HistogramSet set = new HistogramSet();
    all.forEach(set::add);
    long[] sorted = sortedServiceMicros(all);
    JsonNode list = KperfReport.percentiles(set.rollUp(-1).service(), KperfReport.KPERF_PERCENTILES);
    for (int i = 0; i < KperfReport.KPERF_PERCENTILES.length; i++) {
      double p = KperfReport.KPERF_PERCENTILES[i];
      double expected = nearestRank(sorted, p);
      assertEquals(p, list.get(i).get(0).asDouble(), 0);
      // 3 significant digits: within 0.1% (plus a microsecond of unit rounding).
      assertThat("p" + p, list.get(i).get(1).asDouble(), closeTo(expected, expected * 0.001 + 1e-6));
    }
  }

  @Test
  public void mergingShardsEqualsOneHistogramOfEverything() {
    List<Outcome> all = outcomes(12_000, 2);
    HistogramSet whole = new HistogramSet();
    all.forEach(whole::add);
    HistogramSet[] shards = {new HistogramSet(), new HistogramSet(), new HistogramSet(), new HistogramSet()};
    for (int i = 0; i < all.size(); i++) {
      shards[i % shards.length].add(all.get(i));
    }
    HistogramSet merged = new HistogramSet();
    for (HistogramSet s : shards) {
      merged.merge(roundTrip(s)); // as if they came from other workers
    }
    assertSameStats(whole, merged);
  }

  @Test
  public void combineHistogramsInAPipelineEqualsOneHistogramOfEverything() {
    List<Outcome> all = outcomes(6_000, 3);
    HistogramSet whole = new HistogramSet();
    all.forEach(whole::add);
    List<HistogramSet> shards = new ArrayList<>();
    for (int s = 0; s < 6; s++) {
      HistogramSet set = new HistogramSet();
      for (int i = s; i < all.size(); i += 6) {
        set.add(all.get(i));
      }
      shards.add(set);
    }
    PCollection<HistogramSet> merged =
        pipeline.apply(Create.of(shards).withCoder(HistogramSetCoder.of())).apply(CombineHistograms.globally());
    byte[] expected = encode(whole); // the check runs serialized; carry the oracle as bytes
    PAssert.thatSingleton(merged).satisfies(m -> {
      assertSameStats(decode(expected), m);
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  static void assertSameStats(HistogramSet expected, HistogramSet actual) {
    assertEquals(expected.entries().keySet(), actual.entries().keySet());
    Iterator<Stats> a = actual.entries().values().iterator();
    for (Stats e : expected.entries().values()) {
      Stats x = a.next();
      assertEquals(e.latency(), x.latency());
      assertEquals(e.service(), x.service());
      assertEquals(e.lag(), x.lag());
      assertEquals(e.total(), x.total());
      assertEquals(e.bytes(), x.bytes());
      assertEquals(e.errors(), x.errors());
    }
  }

  static HistogramSet roundTrip(HistogramSet s) {
    return decode(encode(s));
  }

  static byte[] encode(HistogramSet s) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      HistogramSetCoder.of().encode(s, out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static HistogramSet decode(byte[] bytes) {
    try {
      return HistogramSetCoder.of().decode(new ByteArrayInputStream(bytes));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  public void coderRoundTripsAndIsCompact() throws Exception {
    HistogramSet set = new HistogramSet();
    outcomes(10_000, 4).forEach(set::add);
    set.add(Outcome.failed(0, "GET", LIST_URL + "/x", 0, 1_000, 5_000_000, "http/500", 20, 2));
    set.add(Outcome.skipped(1, "POST", LIST_URL, 0, "deadline"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HistogramSetCoder.of().encode(set, out);
    // 10k values in 3 histograms x 6 keys: the compressed encoding stays small.
    assertThat(out.size(), lessThan(64 * 1024));
    assertSameStats(set, roundTrip(set));
    // A decoded histogram still accepts values beyond the range it was encoded with.
    HistogramSet decoded = roundTrip(set);
    decoded.add(Outcome.ok(0, "LIST", LIST_URL, 0, 0, 3_600_000_000_000L, 0, 0));
  }

  @Test
  public void everyRequestIsOkFailedOrSkippedAndSkippedHasNoLatency() {
    HistogramSet set = new HistogramSet();
    set.add(Outcome.ok(0, "GET", "/a", 0, 10_000, 2_000_000, 5, 0));
    set.add(Outcome.failed(0, "GET", "/a", 0, 10_000, 3_000_000, "http/503", 7, 1));
    set.add(Outcome.failed(1, "POST", "/b", 0, 10_000, 3_000_000, "connection/refused", 0, 0));
    set.add(Outcome.skipped(1, "POST", "/b", 0, "deadline"));
    for (int phase : new int[] {-1, 0, 1}) {
      Stats s = set.rollUp(phase);
      assertEquals(s.total(), s.ok() + s.failed() + s.skipped());
      assertEquals("latencies are over successes (kperf)", s.ok(), s.service().getTotalCount());
      assertEquals("every sent request has a lag", s.ok() + s.failed(), s.lag().getTotalCount());
    }
    Stats all = set.rollUp(-1);
    assertEquals(4, all.total());
    assertEquals(1, all.skipped());
    assertEquals(1, all.latency().getTotalCount());
    assertEquals(Long.valueOf(1), all.errors().get("http/503"));
    assertEquals(1, all.retries());
  }

  @Test
  public void reportHasKperfsShapeAndKeys() {
    HistogramSet set = new HistogramSet();
    outcomes(1_000, 5).forEach(set::add);
    set.add(Outcome.failed(1, "DELETE", LIST_URL + "/:name", 0, 0, 1_000_000, "http/404", 0, 0));
    set.add(Outcome.ok(1, "DELETE", LIST_URL + "/:name", 0, 0, 2_000_000, 0, 0));
    set.add(Outcome.skipped(1, "GET", LIST_URL + "/p1", 0, "deadline"));
    ObjectNode report =
        KperfReport.build(
            set, Arrays.asList(new KperfReport.Phase(0, "baseline", 30), new KperfReport.Phase(1, "spike", 20.5)), 50.5);
    assertEquals(new TreeSet<>(Arrays.asList("perSpecResults", "aggregated", "run")), fieldNames(report));
    JsonNode spike = report.get("perSpecResults").get(1);
    // kperf's keys, with kperf's meanings...
    for (String k : new String[] {"total", "duration", "errorStats", "totalReceivedBytes", "percentileLatencies",
        "percentileLatenciesByURL", "totalRun", "totalFailed"}) {
      assertThat(k, spike.has(k));
    }
    assertEquals("20.5s", spike.get("duration").asText());
    assertEquals("50.5s", report.get("aggregated").get("duration").asText());
    assertEquals(1, spike.get("errorStats").get("http/404").asInt());
    assertEquals(spike.get("total").asLong(), spike.get("totalRun").asLong() + spike.get("skipped").asLong());
    assertEquals(6, spike.get("percentileLatencies").size());
    assertEquals(0.99, spike.get("percentileLatencies").get(4).get(0).asDouble(), 0);
    assertThat("per-URL key is '<METHOD> <maskedURL>'", spike.get("percentileLatenciesByURL").has("DELETE " + LIST_URL + "/:name"));
    // ...and ours beside them.
    assertEquals("spike", spike.get("phase").asText());
    assertEquals(7, spike.get("correctedLatencies").size());
    assertEquals(0.999, spike.get("correctedLatencies").get(5).get(0).asDouble(), 0);
    assertEquals(1, spike.get("skipped").asLong());
    JsonNode agg = report.get("aggregated");
    assertEquals(1_003, agg.get("total").asLong());
  }

  @Test
  public void durationsPrintAsGoPrintsThem() {
    assertEquals("0s", KperfReport.goDuration(0));
    assertEquals("150ms", KperfReport.goDuration(0.15));
    assertEquals("2.25s", KperfReport.goDuration(2.25));
    assertEquals("1m30.5s", KperfReport.goDuration(90.5));
    assertEquals("1h0m5s", KperfReport.goDuration(3605));
  }

  private static TreeSet<String> fieldNames(JsonNode n) {
    TreeSet<String> names = new TreeSet<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
