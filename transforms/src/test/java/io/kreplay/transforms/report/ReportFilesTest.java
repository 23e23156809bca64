package io.kreplay.transforms.report;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.kreplay.transforms.measure.CombineHistograms;
import io.kreplay.transforms.measure.HistogramSet;
import io.kreplay.transforms.measure.HistogramSetCoder;
import io.kreplay.transforms.measure.KperfReport;
import io.kreplay.transforms.measure.MeasureSettings;
import io.kreplay.transforms.measure.Outcome;
import io.kreplay.transforms.measure.ReportContext;
import java.io.File;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReportFilesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void reportFromStoredHistogramsReproducesWhatThePipelineWrote() throws Exception {
    MeasureSettings settings = new MeasureSettings(5_000, 4, null);
    Random r = new Random(11);
    List<HistogramSet> shards = new ArrayList<>();
    HistogramSet whole = settings.newHistogramSet();
    for (int s = 0; s < 4; s++) {
      HistogramSet shard = settings.newHistogramSet();
      for (int i = 0; i < 500; i++) {
        long intended = (i * 4L + s) * 15_000_000L;
        long sent = intended + r.nextInt(3_000_000);
        Outcome o = i % 50 == 0
            ? Outcome.failed(i % 2, "GET", "/u" + (i % 6), intended, sent, sent + 9_000_000, "http/503", 0, 0)
            : Outcome.ok(i % 2, "GET", "/u" + (i % 6), intended, sent, sent + r.nextInt(80_000_000), 5, 0);
        shard.add(o, 0);
        whole.add(o, 0);
      }
      shards.add(shard);
    }
    ReportContext context =
        ReportContext.of(Arrays.asList(new KperfReport.Phase(0, "a", 0, 30, 1_000, new long[] {250, 250, 250, 250}),
            new KperfReport.Phase(1, "b", 0, 30, 1_000, null)), 30)
            .startedAt(1_700_000_000_000_000L).measured(settings);
    String dir = tmp.newFolder("report").getPath();
    pipeline.apply(Create.of(shards).withCoder(HistogramSetCoder.of()))
        .apply(CombineHistograms.globally())
        .apply(WriteReport.to(dir, context));
    pipeline.run().waitUntilFinish();

    File json = new File(dir, ReportFiles.REPORT_JSON);
    File hlog = new File(dir, ReportFiles.LATENCY_LOG);
    byte[] reportJson = Files.readAllBytes(json.toPath());
    byte[] latencyLog = Files.readAllBytes(hlog.toPath());
    assertTrue(json.delete() && hlog.delete());

    ReportFiles.Stored stored = ReportFiles.load(dir);
    ReportFiles.writeAll(dir, stored.histograms, stored.context);
    assertArrayEquals(reportJson, Files.readAllBytes(json.toPath()));
    assertArrayEquals(latencyLog, Files.readAllBytes(hlog.toPath()));
    // And the merged shards are what one set of every outcome would have reported.
    assertEquals(KperfReport.build(whole, context), KperfReport.build(stored.histograms, stored.context));
  }
}
