package io.kreplay.transforms.replay;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;

import io.kreplay.transforms.model.JsonCoder;
import io.kreplay.transforms.partition.Partitioner;
import io.kreplay.transforms.plan.PlanConfig;
import io.kreplay.transforms.plan.PlanManifest;
import io.kreplay.transforms.plan.ProfileScanner;
import io.kreplay.transforms.plan.ScanResult;
import io.kreplay.transforms.read.ProfileSource;
import io.kreplay.transforms.read.ReadLimits;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Architecture check (not a timing benchmark): eight shards of 2 s each on this 2-core machine
 * run side by side, not back to back, and each shard's requests come out in profile order.
 */
public class PaceShardsTest {
  @Rule public final transient TestPipeline pipeline = newPipeline();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final int SHARDS = 8;
  static final int PER_SHARD = 20;
  static final long STEP_MS = 100;

  /** (shard, sequence, emitted − due µs) in arrival order, per test run. */
  static final Map<String, Queue<long[]>> SEEN = new ConcurrentHashMap<>();

  @BeforeClass
  public static void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  /** The runner under test: the DirectRunner here. */
  protected TestPipeline newPipeline() {
    return TestPipeline.create();
  }

  /** Time from building the pipeline to the shared start: the runner's start-up must fit. */
  protected long warmupMicros() {
    return 2_000_000;
  }

  /** One object per shard, each with a request every 100 ms. */
  private String writeProfile() throws Exception {
    String[] names = new String[SHARDS];
    for (int j = 0, found = 0; found < SHARDS; j++) {
      int s = Partitioner.JUMP.shardOf("ns/Pod/obj-" + j, SHARDS);
      if (names[s] == null) {
        names[s] = "obj-" + j;
        found++;
      }
    }
    StringBuilder y = new StringBuilder("version: 1\nspec:\n  runnerCount: 8\n  connsPerRunner: 1\n  contentType: json\nrequests:\n");
    for (int k = 0; k < PER_SHARD; k++) {
      for (String name : names) {
        y.append("- {timestamp: ").append(k * STEP_MS).append(", verb: GET, namespace: ns, resourceKind: Pod, name: ")
            .append(name).append(", apiPath: /api/v1/namespaces/ns/pods/").append(name).append("}\n");
      }
    }
    File f = tmp.newFile("paced.yaml");
    Files.write(f.toPath(), y.toString().getBytes(StandardCharsets.UTF_8));
    return f.getAbsolutePath();
  }

  static final class Record extends DoFn<KV<Integer, TimedRequest>, Void> {
    private final String run;

    Record(String run) {
      this.run = run;
    }

    @ProcessElement
    public void process(@Element KV<Integer, TimedRequest> e) {
      long late = ReplayClock.nowEpochMicros() - e.getValue().dueEpochMicros();
      SEEN.get(run).add(new long[] {e.getKey(), e.getValue().request().sequence(), late});
    }
  }

  @Test
  public void shardsRunSideBySideInPerShardOrder() throws Exception {
    String planDir = tmp.newFolder("plan").getAbsolutePath();
    PlanConfig config = new PlanConfig(SHARDS, Partitioner.JUMP, 1_000, planDir, ReadLimits.defaults());
    ScanResult scan = ProfileScanner.scan(new ProfileSource(0, writeProfile()), config);
    assertEquals(scan.problems.describe(), 0, scan.problems.total);
    PlanManifest manifest = PlanManifest.of(Collections.singletonList(scan), config);
    for (long c : manifest.perShard) {
      assertEquals(PER_SHARD, c);
    }

    String run = "run-" + System.nanoTime();
    SEEN.put(run, new ConcurrentLinkedQueue<>());
    long leadMicros = 20_000;
    long start = ReplayClock.nowEpochMicros() + warmupMicros(); // pipeline start-up happens before this
    PCollection<KV<Integer, TimedRequest>> paced =
        pipeline
            .apply(ShardPlans.heldUntil(ShardPlan.fromManifest(manifest, planDir), start + 1_900_000))
            .apply(PaceShards.on(new ReplayClock(start, 1.0, leadMicros)));
    paced.apply(ParDo.of(new Record(run)));
    // The pacer's output is unbounded; its watermark passes the end of the global window once
    // every shard is exhausted, which is when the count fires.
    PAssert.thatSingleton(
            paced
                .apply(
                    Window.<KV<Integer, TimedRequest>>into(new GlobalWindows())
                        .triggering(AfterWatermark.pastEndOfWindow())
                        .withAllowedLateness(Duration.ZERO)
                        .discardingFiredPanes())
                .apply(Count.globally()))
        .isEqualTo((long) SHARDS * PER_SHARD);
    org.apache.beam.sdk.PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    for (org.apache.beam.sdk.metrics.MetricResult<org.apache.beam.sdk.metrics.DistributionResult> d :
        result.metrics().queryMetrics(org.apache.beam.sdk.metrics.MetricsFilter.builder().build()).getDistributions()) {
      System.out.printf(
          "%s at emission: min %+.1f ms, mean %+.1f ms (positive = early)%n",
          d.getName().getName(), d.getAttempted().getMin() / 1e3, d.getAttempted().getMean() / 1e3);
    }
    long finished = ReplayClock.nowEpochMicros();
    long pacerCalls = 0;
    for (org.apache.beam.sdk.metrics.MetricResult<Long> c :
        result.metrics().queryMetrics(org.apache.beam.sdk.metrics.MetricsFilter.builder().build()).getCounters()) {
      if (c.getName().getName().equals("pacerCalls")) {
        pacerCalls += c.getAttempted();
      }
    }
    System.out.println("pacer calls: " + pacerCalls);
    // The pacer resumes with delays (at most twice per lead window while it hands on requests,
    // longer before the start): a few hundred calls per shard. A runner that fired its resume
    // timers at once (Flink after its input ended, before ShardPlans held it open) makes
    // hundreds of thousands.
    assertThat("the pacer's resume delays were honoured", pacerCalls, lessThan(SHARDS * 2_000L));

    // Serial shards would need 8 × 1.9 s after the start; side by side they need ~1.9 s.
    double afterStartSeconds = (finished - start) / 1e6;
    assertThat(afterStartSeconds, lessThan(1.9 + 4.0));
    assertThat(afterStartSeconds, greaterThan(1.9 - 0.1));

    List<long[]> seen = new ArrayList<>(SEEN.remove(run));
    assertEquals(SHARDS * PER_SHARD, seen.size());
    long[] late = seen.stream().mapToLong(x -> x[2]).sorted().toArray();
    System.out.printf(
        getClass().getSimpleName() + ": 8 shards x 1.9 s: done %.2f s after the shared start; handed on vs due (lead %d ms): "
            + "p50 %+.1f ms, p99 %+.1f ms, max %+.1f ms%n",
        afterStartSeconds, leadMicros / 1000, late[late.length / 2] / 1e3, late[late.length * 99 / 100] / 1e3, late[late.length - 1] / 1e3);
    long[] steady = seen.stream().filter(x -> x[1] >= 5 * SHARDS).mapToLong(x -> x[2]).sorted().toArray();
    System.out.printf(
        "after the first 500 ms: p50 %+.1f ms, p99 %+.1f ms, max %+.1f ms%n",
        steady[steady.length / 2] / 1e3, steady[steady.length * 99 / 100] / 1e3, steady[steady.length - 1] / 1e3);
    long[] lastSeq = new long[SHARDS];
    java.util.Arrays.fill(lastSeq, -1);
    for (long[] s : seen) {
      int shard = (int) s[0];
      assertThat("shard " + shard + " in order", s[1], greaterThan(lastSeq[shard]));
      lastSeq[shard] = s[1];
      // Never handed on before the lead window opens. Lateness is bounded generously: run back
      // to back, the last shard's requests would be ~13 s late; CI machines are noisy.
      assertThat(s[2], greaterThan(-leadMicros - 5_000));
      assertThat(s[2], lessThan(5_000_000L));
    }
  }
}
