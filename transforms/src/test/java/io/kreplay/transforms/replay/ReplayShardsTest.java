package io.kreplay.transforms.replay;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
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
import java.net.InetAddress;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import io.fabric8.mockwebserver.MockWebServer;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/** The sample pod lifecycle replayed for real against fabric8's CRUD mock API server. */
public class ReplayShardsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final Timeout guard = Timeout.seconds(120);

  private KubernetesMockServer server;

  @Before
  public void startServer() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
  }

  @After
  public void stopServer() {
    server.destroy();
  }

  @Test
  public void replaysEveryRequestAndAccountsForEach() throws Exception {
    String sample = Paths.get("..", "samples", "pod-lifecycle.yaml").toAbsolutePath().normalize().toString();
    String planDir = tmp.newFolder("plan").getAbsolutePath();
    PlanConfig config = new PlanConfig(2, Partitioner.JUMP, 5_000, planDir, ReadLimits.defaults());
    PlanManifest manifest =
        PlanManifest.of(Collections.singletonList(ProfileScanner.scan(new ProfileSource(0, sample), config)), config);

    double speed = 4.0; // 12 s of profile in 3 s
    // --ordering=strict: on a loaded machine the runner can start late and release overdue
    // requests together; only strict ordering then keeps a pod's create ahead of its delete.
    long start = ReplayClock.nowEpochMicros() + 2_000_000;
    // Generous: the run ends as soon as every outcome is in, and a loaded machine can take
    // 15 s to start the pipeline (everything past the deadline would be skipped).
    long deadline = start + (long) (manifest.durationMs * 1000 / speed) + 30_000_000;
    ReplaySettings settings =
        new ReplaySettings(
            "test-" + System.nanoTime(), ConnectionSettings.masterUrl(server.url("/")), false, 4, 10_000, start, deadline,
            deadline, 500, 0)
            .withStrictOrdering(true);
    PCollection<HistogramSet> measured =
        pipeline
            .apply(Create.of(ShardPlan.fromManifest(manifest, planDir)).withCoder(JsonCoder.of(ShardPlan.class)))
            .apply(ReplayAndMerge.with(new ReplayClock(start, speed, 200_000), settings));
    PAssert.thatSingleton(measured)
        .satisfies(
            m -> {
              Stats all = m.rollUp(-1);
              System.out.printf(
                  "replayed: total %d ok %d failed %d skipped %d errors %s; lag p50 %d us p99 %d us max %d us; service p99 %d us%n",
                  all.total(), all.ok(), all.failed(), all.skipped(), all.errors(),
                  all.lag().getValueAtPercentile(50), all.lag().getValueAtPercentile(99), all.lag().getMaxValue(),
                  all.service().getValueAtPercentile(99));
              assertEquals("every planned request has an outcome", 18, all.total());
              assertEquals(all.total(), all.ok() + all.failed() + all.skipped());
              Map<String, Stats> byUrl = m.byUrl(0);
              Stats creates = byUrl.get("POST /api/v1/namespaces/kreplay-demo/pods");
              assertEquals(3, creates.ok());
              Stats deletes = byUrl.get("DELETE /api/v1/namespaces/kreplay-demo/pods/:name");
              assertEquals("both deletes found their pod", 2, deletes.ok());
              // Latency is measured from the intended send, so it is never below service time.
              assertTrue(all.latency().getMaxValue() >= all.service().getMaxValue());
              return null;
            });
    pipeline.run().waitUntilFinish();

    // The server saw the lifecycle in order: everything created was deleted again.
    KubernetesClient k8s = server.createClient();
    assertEquals(0, k8s.pods().inNamespace("kreplay-demo").list().getItems().size());
  }
}
