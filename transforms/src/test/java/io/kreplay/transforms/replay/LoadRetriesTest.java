package io.kreplay.transforms.replay;

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
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * A load profile's maxRetries: a 429 with Retry-After is sent again after that wait, at most
 * maxRetries times, and the retries are counted; without maxRetries a 429 is final.
 */
public class LoadRetriesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final Timeout guard = Timeout.seconds(120);

  static String spec(String name, int total, int maxRetries, String request) {
    return "  - name: " + name + "\n    rate: 10\n    total: " + total + "\n    conns: 1\n    client: 4\n"
        + "    contentType: json\n    maxRetries: " + maxRetries + "\n    requests:\n      - shares: 1\n" + request;
  }

  @Test
  public void tooManyRequestsAreRetriedAfterRetryAfterUpToMaxRetries() throws Exception {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
    String always = "        quorumGet: {version: v1, resource: pods, namespace: f, name: e429}\n";
    String once = "        put: {version: v1, resource: configmaps, namespace: f, name: once429, keySpaceSize: 1000000, valueSize: 8}\n";
    String yaml = "version: 1\nspecs:\n"
        + spec("always", 2, 2, always) // 429 (Retry-After: 1) every time: 2 retries each, then failed
        + spec("once", 4, 1, once) // one 429 (Retry-After: 0) per name, then 200: ok after 1 retry
        + spec("never", 2, 0, always); // maxRetries 0: the 429 is final
    File f = tmp.newFile("retries.yaml");
    Files.write(f.toPath(), yaml.getBytes(StandardCharsets.UTF_8));
    String planDir = tmp.newFolder().getAbsolutePath();
    PlanConfig config = new PlanConfig(1, Partitioner.JUMP, 10_000, planDir, ReadLimits.defaults());
    PlanManifest manifest =
        PlanManifest.of(Collections.singletonList(ProfileScanner.scan(new ProfileSource(0, f.getPath()), config)), config);
    assertEquals(3, manifest.phases.size());

    try (FaultServer server = new FaultServer()) {
      long start = ReplayClock.nowEpochMicros() + 2_000_000;
      // Far off: on a busy machine the DirectRunner can start the shards many seconds late, and a
      // retry is only sent when its Retry-After ends before the deadline.
      long deadline = start + manifest.durationMs * 1000 + 60_000_000;
      ReplaySettings settings =
          new ReplaySettings("retries-" + System.nanoTime(), ConnectionSettings.masterUrl(server.url()), false, 4, 5_000,
              start, deadline, deadline, 500, 0)
          .withPhases(PhaseSettings.ofLoadPhases(manifest, null));
      assertEquals(2, settings.phases.get(0).maxRetries);
      assertEquals(4, settings.phases.get(0).maxInFlightPerShard);
      PCollection<HistogramSet> measured =
          pipeline
              .apply(Create.of(ShardPlan.fromManifest(manifest, planDir)).withCoder(JsonCoder.of(ShardPlan.class)))
              .apply(ReplayAndMerge.with(new ReplayClock(start, 1.0, 200_000), settings));
      PAssert.thatSingleton(measured).satisfies(m -> {
        Stats always429 = m.rollUp(0);
        assertEquals(2, always429.total());
        assertEquals(2, always429.failed());
        assertEquals(Long.valueOf(2), always429.errors().get("http/429"));
        assertEquals("2 retries for each of 2 requests", 4, always429.retries());
        Stats onceThenOk = m.rollUp(1);
        assertEquals(4, onceThenOk.ok());
        assertEquals(4, onceThenOk.retries());
        Stats never = m.rollUp(2);
        assertEquals(2, never.failed());
        assertEquals(0, never.retries());
        return null;
      });
      pipeline.run().waitUntilFinish();
      assertEquals("sent: 2 x 3 + 4 x 2 + 2 x 1", 16, server.received.get());
    }
  }
}
