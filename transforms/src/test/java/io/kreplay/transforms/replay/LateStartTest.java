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
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;

/**
 * Shards that start after the replay's deadline (a Flink job whose warm-up was too short):
 * nothing is sent, every request is counted as skipped, and the measurements still reach the
 * report, saying why.
 */
public class LateStartTest {
  @Rule public final transient TestPipeline pipeline = newPipeline();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final Timeout guard = Timeout.seconds(120);

  protected TestPipeline newPipeline() {
    return TestPipeline.create();
  }

  @Before
  public void fileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  @Test
  public void shardsStartingAfterTheDeadlineCountEverythingAsSkipped() throws Exception {
    int requests = 30;
    StringBuilder y = new StringBuilder("version: 1\nspec: {runnerCount: 3, connsPerRunner: 2, contentType: json}\nrequests:\n");
    for (int i = 0; i < requests; i++) {
      y.append("- {timestamp: ").append(i * 100).append(", verb: GET, namespace: f, resourceKind: Pod, name: p")
          .append(i).append(", apiPath: /api/v1/namespaces/f/pods/p").append(i).append("}\n");
    }
    File f = tmp.newFile();
    Files.write(f.toPath(), y.toString().getBytes(StandardCharsets.UTF_8));
    String planDir = tmp.newFolder().getAbsolutePath();
    PlanConfig config = new PlanConfig(3, Partitioner.JUMP, 10_000, planDir, ReadLimits.defaults());
    PlanManifest manifest =
        PlanManifest.of(Collections.singletonList(ProfileScanner.scan(new ProfileSource(0, f.getPath()), config)), config);
    // The shared start was a minute ago; start + duration + grace passed 30 s ago.
    long start = ReplayClock.nowEpochMicros() - 60_000_000;
    long end = start + manifest.durationMs * 1000;
    long deadline = end + 27_000_000;
    ReplaySettings settings =
        new ReplaySettings("late-" + System.nanoTime(), ConnectionSettings.masterUrl("http://127.0.0.1:9"), false, 4,
            1_000, start, end, deadline, 500, 0);
    PCollection<HistogramSet> measured =
        pipeline
            .apply(Create.of(ShardPlan.fromManifest(manifest, planDir)).withCoder(JsonCoder.of(ShardPlan.class)))
            .apply(ReplayAndMerge.with(new ReplayClock(start, 1.0, 200_000), settings));
    PAssert.thatSingleton(measured).satisfies(m -> {
      Stats all = m.rollUp(-1);
      assertEquals(requests, all.total());
      assertEquals("nothing is sent after the deadline", requests, all.skipped());
      assertEquals("[" + ReplayStop.DEADLINE + "]", m.stoppedBy().toString());
      return null;
    });
    pipeline.run().waitUntilFinish();
  }
}
