package io.kreplay.transforms.replay;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.Assert.assertEquals;

import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.Stats;
import io.kreplay.transforms.model.JsonCoder;
import io.kreplay.transforms.partition.Partitioner;
import io.kreplay.transforms.plan.PlanConfig;
import io.kreplay.transforms.plan.PlanManifest;
import io.kreplay.transforms.plan.ProfileScanner;
import io.kreplay.transforms.read.ProfileSource;
import io.kreplay.transforms.read.ReadLimits;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** Every fault ends in the report with the right error type, and the accounting adds up. */
public class ReplayFaultsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final Timeout guard = Timeout.seconds(120);

  static final String[] NAMES = {"ok-1", "e500", "e503", "e429", "slow", "reset", "ok-2"};

  @Before
  public void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  /** {@code rounds} GETs of each name, 100 ms apart. */
  private PlanManifest plan(String planDir, int rounds) throws Exception {
    return plan(planDir, rounds, NAMES, 100);
  }

  private PlanManifest plan(String planDir, int rounds, String[] names, int stepMs) throws Exception {
    StringBuilder y = new StringBuilder("version: 1\nspec: {runnerCount: 3, connsPerRunner: 2, contentType: json}\nrequests:\n");
    int t = 0;
    for (int r = 0; r < rounds; r++) {
      for (String n : names) {
        y.append("- {timestamp: ").append(t).append(", verb: GET, namespace: f, resourceKind: Pod, name: ").append(n)
            .append(", apiPath: /api/v1/namespaces/f/pods/").append(n).append("}\n");
        t += stepMs;
      }
    }
    File f = tmp.newFile();
    Files.write(f.toPath(), y.toString().getBytes(StandardCharsets.UTF_8));
    PlanConfig config = new PlanConfig(3, Partitioner.JUMP, 10_000, planDir, ReadLimits.defaults());
    return PlanManifest.of(Collections.singletonList(ProfileScanner.scan(new ProfileSource(0, f.getPath()), config)), config);
  }

  private void replay(String url, int rounds, long timeoutMillis, Consumer<Long> whileRunning,
      SerializableFunction<HistogramSet, Void> check) throws Exception {
    replay("faults-" + System.nanoTime(), url, rounds, timeoutMillis, whileRunning, check);
  }

  private void replay(String runId, String url, int rounds, long timeoutMillis, Consumer<Long> whileRunning,
      SerializableFunction<HistogramSet, Void> check) throws Exception {
    replay(runId, url, rounds, timeoutMillis, 0, whileRunning, check);
  }

  private void replay(String runId, String url, int rounds, long timeoutMillis, double qpsPerShard,
      Consumer<Long> whileRunning, SerializableFunction<HistogramSet, Void> check) throws Exception {
    replay(runId, url, rounds, NAMES, 100, timeoutMillis, qpsPerShard, whileRunning, check);
  }

  private void replay(String runId, String url, int rounds, String[] names, int stepMs, long timeoutMillis,
      double qpsPerShard, Consumer<Long> whileRunning, SerializableFunction<HistogramSet, Void> check)
      throws Exception {
    String planDir = tmp.newFolder().getAbsolutePath();
    PlanManifest manifest = plan(planDir, rounds, names, stepMs);
    long start = ReplayClock.nowEpochMicros() + 2_000_000;
    long deadline = start + manifest.durationMs * 1000 + 10_000_000; // generous: CI machines start late
    ReplaySettings settings =
        new ReplaySettings(runId, ConnectionSettings.masterUrl(url), false, 4, timeoutMillis, start, deadline, deadline, 500, qpsPerShard);
    PCollection<HistogramSet> measured =
        pipeline
            .apply(Create.of(ShardPlan.fromManifest(manifest, planDir)).withCoder(JsonCoder.of(ShardPlan.class)))
            .apply(ReplayAndMerge.with(new ReplayClock(start, 1.0, 200_000), settings));
    PAssert.thatSingleton(measured).satisfies(check);
    Thread side = new Thread(() -> whileRunning.accept(start));
    side.start();
    pipeline.run().waitUntilFinish();
    side.join();
  }

  @Test
  public void eachFaultIsCountedWithItsErrorType() throws Exception {
    try (FaultServer server = new FaultServer()) {
      int rounds = 3;
      replay(server.url(), rounds, 2_000, start -> {}, m -> {
        Stats all = m.rollUp(-1);
        System.out.println("faults: " + all.total() + " total, " + all.ok() + " ok, errors " + all.errors()
            + ", skipped " + all.skipped());
        assertEquals(rounds * NAMES.length, all.total());
        assertEquals(all.total(), all.ok() + all.failed() + all.skipped());
        Map<String, Long> errors = all.errors();
        assertEquals(Long.valueOf(rounds), errors.get("http/500"));
        assertEquals(Long.valueOf(rounds), errors.get("http/503"));
        assertEquals(Long.valueOf(rounds), errors.get("http/429"));
        assertEquals("a response slower than the timeout", Long.valueOf(rounds), errors.get("connection/timeout"));
        long resets = errors.entrySet().stream()
            .filter(e -> e.getKey().startsWith("connection/")).mapToLong(Map.Entry::getValue).sum() - rounds;
        assertEquals("resets are connection errors", rounds, resets);
        assertEquals(2L * rounds, all.ok());
        return null;
      });
    }
  }

  @Test
  public void aServerThatGoesAwayMidRunLeavesACompleteReport() throws Exception {
    FaultServer server = new FaultServer();
    String url = server.url();
    int rounds = 4; // 2.8 s of requests; the server dies after ~1.2 s
    replay(url, rounds, 2_000, start -> {
      try {
        Thread.sleep(Math.max(0, (start - ReplayClock.nowEpochMicros()) / 1000 + 1_200));
        server.close();
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    }, m -> {
      Stats all = m.rollUp(-1);
      System.out.println("server gone: " + all.total() + " total, " + all.ok() + " ok, errors " + all.errors()
          + ", skipped " + all.skipped());
      assertEquals(rounds * NAMES.length, all.total());
      assertEquals(all.total(), all.ok() + all.failed() + all.skipped());
      assertThat(all.errors(), hasKey("connection/refused"));
      assertThat(all.ok(), greaterThan(0L));
      return null;
    });
  }

  @Test
  public void aStopMidRunSendsNothingMoreAndStillAccountsForEverything() throws Exception {
    try (FaultServer server = new FaultServer()) {
      String runId = "stop-" + System.nanoTime();
      int rounds = 4; // 28 requests over 2.8 s
      // Stop once the server has seen 5 replayed requests.
      replay(runId, server.url(), rounds, 2_000, start -> {
        long giveUp = System.nanoTime() + 60_000_000_000L;
        while (server.received.get() < 5 && System.nanoTime() < giveUp) {
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            throw new RuntimeException(e);
          }
        }
        ReplayStop.request(runId);
      }, m -> {
        Stats all = m.rollUp(-1);
        System.out.println("stopped: " + all.total() + " total, " + all.ok() + " ok, " + all.failed() + " failed, "
            + all.skipped() + " skipped, errors " + all.errors());
        assertEquals(rounds * NAMES.length, all.total());
        assertEquals(all.total(), all.ok() + all.failed() + all.skipped());
        assertThat(all.ok() + all.failed(), greaterThan(4L));
        // Calls under way at the stop end as failed (unknown/cancelled); the rest is skipped.
        assertThat("what was not yet sent is skipped", all.skipped(), greaterThan(0L));
        return null;
      });
      int received = server.received.get();
      // 28 requests if nothing had been held back.
      assertThat("the stop kept requests from being sent: " + received, received < 28, org.hamcrest.Matchers.is(true));
      ReplayStop.clear(runId);
    }
  }

  @Test
  public void aRateCapSpreadsSendsAndCountsTheHoldBackAsLag() throws Exception {
    try (FaultServer server = new FaultServer()) {
      // 28 healthy requests 10 ms apart: 0.28 s uncapped, ~3 s under the cap.
      int rounds = 4;
      String[] healthy = {"ok-1", "ok-2", "ok-3", "ok-4", "ok-5", "ok-6", "ok-7"};
      int[] perShard = new int[3];
      for (String n : healthy) {
        perShard[Partitioner.JUMP.shardOf("f/Pod/" + n, 3)] += rounds;
      }
      int busiest = java.util.Arrays.stream(perShard).max().getAsInt();
      double qpsPerShard = busiest / 3.0; // the busiest shard needs ~3 s, well inside the deadline
      replay("qps-" + System.nanoTime(), server.url(), rounds, healthy, 10, 2_000, qpsPerShard, start -> {}, m -> {
        Stats all = m.rollUp(-1);
        System.out.println("capped: lag p50 " + all.lag().getValueAtPercentile(50) / 1000 + " ms, max "
            + all.lag().getMaxValue() / 1000 + " ms");
        assertEquals(28, all.total());
        assertEquals("none dropped", 28, all.ok());
        assertThat("held back requests are late, and that is measured", all.lag().getMaxValue(), greaterThan(1_000_000L));
        return null;
      });
      List<Long> arrivals = new java.util.ArrayList<>(server.arrivals);
      arrivals.sort(null);
      // The replayed requests (warm-ups are not counted) must be spread by the cap.
      List<Long> replayed = arrivals;
      double spreadSeconds = (replayed.get(replayed.size() - 1) - replayed.get(0)) / 1e9;
      System.out.println("capped: " + replayed.size() + " arrivals over " + spreadSeconds + " s");
      assertEquals(28, replayed.size());
      assertThat(spreadSeconds, greaterThan(2.5));
    }
  }
}
