package io.kreplay.transforms.measure;

import static org.junit.Assert.assertEquals;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RawOutcomesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void everyOutcomeIsOneCsvRowInTheShardsGzipFile() throws Exception {
    File dir = tmp.newFolder("report");
    long origin = 5_000_000_000L;
    try (ShardMeasurements m = new ShardMeasurements(new MeasureSettings(10_000, 1, dir.getPath()), 3, origin)) {
      m.add(Outcome.ok(0, "GET", "/api/v1/pods/a", origin + 1_500_000, origin + 2_000_000, origin + 12_000_000, 42, 0));
      m.add(Outcome.failed(1, "LIST", "/api/v1/pods?labelSelector=a,b", origin, origin + 250_000, origin + 1_250_000,
          "unknown/said \"no\"", 0, 0));
      m.add(Outcome.skipped(1, "DELETE", "/api/v1/pods/:name", origin + 20_000_000_000L, "deadline"));
      assertEquals("the histograms still fold past the URL cap", 3, m.drain().rollUp(-1).total());
    }
    File raw = new File(dir, RawOutcomes.fileName(3));
    List<String> lines;
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(new GZIPInputStream(new FileInputStream(raw)), StandardCharsets.UTF_8))) {
      lines = r.lines().collect(Collectors.toList());
    }
    assertEquals(RawOutcomes.HEADER, lines.get(0));
    assertEquals("1.500,0.500,10.000,10.500,0,GET,/api/v1/pods/a,ok,,42", lines.get(1));
    assertEquals("0.000,0.250,1.000,1.250,1,LIST,\"/api/v1/pods?labelSelector=a,b\",failed,\"unknown/said \"\"no\"\"\",0",
        lines.get(2));
    assertEquals("20000.000,,,,1,DELETE,/api/v1/pods/:name,skipped,deadline,0", lines.get(3));
    assertEquals(4, lines.size());
  }
}
