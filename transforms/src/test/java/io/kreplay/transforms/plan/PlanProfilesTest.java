package io.kreplay.transforms.plan;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.kreplay.transforms.model.JsonCoder;
import io.kreplay.transforms.model.ReplayRequest;
import io.kreplay.transforms.partition.PartitionByObject;
import io.kreplay.transforms.partition.Partitioner;
import io.kreplay.transforms.read.ProfileProblems;
import io.kreplay.transforms.read.ProfileReader;
import io.kreplay.transforms.read.ProfileSource;
import io.kreplay.transforms.read.ReadLimits;
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class PlanProfilesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static final Path SAMPLE = Paths.get("..", "samples", "pod-lifecycle.yaml").toAbsolutePath().normalize();

  @BeforeClass
  public static void setUpFileSystems() {
    FileSystems.setDefaultPipelineOptions(PipelineOptionsFactory.create());
  }

  /** The oracle: the sample read directly, in profile order. */
  static List<ReplayRequest> readDirectly(ProfileSource source) throws Exception {
    List<ReplayRequest> out = new ArrayList<>();
    ProfileProblems problems = new ProfileProblems();
    try (ProfileReader r = ProfileReader.open(source, ReadLimits.defaults(), problems)) {
      ReplayRequest q;
      while ((q = r.next()) != null) {
        out.add(q);
      }
    }
    assertTrue(problems.describe(), problems.isEmpty());
    return out;
  }

  private File gzipCopyWithoutGzName() throws Exception {
    File f = tmp.newFile("second-profile.data");
    try (OutputStream out = new GZIPOutputStream(new FileOutputStream(f))) {
      out.write(Files.readAllBytes(SAMPLE));
    }
    return f;
  }

  @Test
  public void plansTwoSourcesAsConsecutivePhasesWithSortedSegments() throws Exception {
    String planDir = tmp.newFolder("plan").getAbsolutePath();
    File gz = gzipCopyWithoutGzName();
    List<ProfileSource> sources =
        Arrays.asList(new ProfileSource(0, SAMPLE.toString()), new ProfileSource(1, gz.getAbsolutePath()));
    PlanConfig config = new PlanConfig(3, Partitioner.JUMP, 2_000, planDir, ReadLimits.defaults());

    PCollection<PlanManifest> manifest =
        pipeline
            .apply(Create.of(sources).withCoder(JsonCoder.of(ProfileSource.class)))
            .apply(PlanProfiles.with(config));
    PAssert.thatSingleton(manifest)
        .satisfies(
            m -> {
              assertTrue(m.problems.describe(), m.problems.isEmpty());
              assertEquals(36, m.requests);
              assertEquals(2, m.phases.size());
              assertEquals(0, m.phases.get(0).offsetMs);
              assertEquals(12_000, m.phases.get(1).offsetMs);
              assertEquals(24_000, m.durationMs);
              assertEquals("pod-lifecycle", m.phases.get(0).name);
              assertEquals(Long.valueOf(10), m.verbs.get("LIST"));
              long sum = Arrays.stream(m.perShard).sum();
              assertEquals(36, sum);
              return null;
            });
    pipeline.run().waitUntilFinish();

    // Read the written plan back from disk, independently of the pipeline's output.
    ResourceId dir = FileSystems.matchNewResource(planDir, true);
    Map<Integer, List<ReplayRequest>> byShard = new HashMap<>();
    File segRoot = new File(planDir, "segments");
    List<Path> files = new ArrayList<>();
    Files.walk(segRoot.toPath()).filter(p -> p.toString().endsWith(".seg")).sorted().forEach(files::add);
    assertFalse(files.isEmpty());
    for (Path f : files) {
      String rel = new File(planDir).toPath().relativize(f).toString();
      try (SegmentReader r = SegmentReader.open(dir, rel, 0)) {
        ReplayRequest q;
        while ((q = r.next()) != null) {
          int shard = Integer.parseInt(f.getParent().getFileName().toString().substring("shard-".length()));
          assertEquals("segment holds only its shard", shard, PartitionByObject.shardOf(q, 3, Partitioner.JUMP));
          long window = Long.parseLong(f.getFileName().toString().replaceAll("\\D", ""));
          assertEquals("segment holds only its window", window, q.timestampMs() / 2_000);
          byShard.computeIfAbsent(shard * 10 + q.phase(), k -> new ArrayList<>()).add(q);
        }
      }
    }
    // Per shard and phase, segments in window order give the profile's order exactly.
    for (ProfileSource s : sources) {
      List<ReplayRequest> all = readDirectly(s);
      for (int shard = 0; shard < 3; shard++) {
        List<ReplayRequest> expected = new ArrayList<>();
        for (ReplayRequest q : all) {
          if (PartitionByObject.shardOf(q, 3, Partitioner.JUMP) == shard) {
            expected.add(q);
          }
        }
        assertEquals(expected, byShard.getOrDefault(shard * 10 + s.phase, new ArrayList<>()));
      }
    }
  }

  @Test
  public void anInvalidProfileYieldsProblemsAndNoSegments() throws Exception {
    String planDir = tmp.newFolder("bad-plan").getAbsolutePath();
    File bad = tmp.newFile("bad.yaml");
    // Valid for the first 17 requests, then a request out of order.
    String yaml = new String(Files.readAllBytes(SAMPLE), StandardCharsets.UTF_8) + "  - timestamp: 1\n    verb: LIST\n    resourceKind: Pod\n    apiPath: /api/v1/pods\n";
    Files.write(bad.toPath(), yaml.getBytes(StandardCharsets.UTF_8));
    PlanConfig config = new PlanConfig(2, Partitioner.KPERF, 1_000, planDir, ReadLimits.defaults());
    PCollection<PlanManifest> manifest =
        pipeline
            .apply(Create.of(new ProfileSource(0, bad.getAbsolutePath())).withCoder(JsonCoder.of(ProfileSource.class)))
            .apply(PlanProfiles.with(config));
    PAssert.thatSingleton(manifest)
        .satisfies(
            m -> {
              assertEquals(1, m.problems.total);
              assertThat(m.problems.shown.get(0), containsString("requests[18] (line "));
              assertThat(m.problems.shown.get(0), containsString("timestamp: 1 is before the previous request's 12000"));
              assertTrue(m.segments.isEmpty());
              return null;
            });
    pipeline.run().waitUntilFinish();
    File segs = new File(planDir, "segments");
    long left = segs.exists() ? Files.walk(segs.toPath()).filter(p -> p.toString().endsWith(".seg")).count() : 0;
    assertEquals("no segment of an invalid profile is left behind", 0, left);
  }

  @Test
  public void segmentReaderResumesFromARecordOffset() throws Exception {
    String planDir = tmp.newFolder("resume").getAbsolutePath();
    PlanConfig config = new PlanConfig(1, Partitioner.JUMP, 60_000, planDir, ReadLimits.defaults());
    ScanResult scan = ProfileScanner.scan(new ProfileSource(0, SAMPLE.toString()), config);
    assertEquals(1, scan.segments.size());
    SegmentInfo seg = scan.segments.get(0);
    assertEquals(18, seg.requests);
    assertEquals(0, seg.firstTimestampMs);
    assertEquals(12_000, seg.lastTimestampMs);
    assertEquals(new File(planDir, seg.path).length(), seg.bytes);

    ResourceId dir = FileSystems.matchNewResource(planDir, true);
    List<ReplayRequest> all = new ArrayList<>();
    long[] offsets = new long[19];
    try (SegmentReader r = SegmentReader.open(dir, seg.path, 0)) {
      offsets[0] = r.offset();
      ReplayRequest q;
      while ((q = r.next()) != null) {
        all.add(q);
        offsets[all.size()] = r.offset();
      }
    }
    assertEquals(readDirectly(new ProfileSource(0, SAMPLE.toString())), all);
    assertEquals(seg.bytes, offsets[18]);
    try (SegmentReader r = SegmentReader.open(dir, seg.path, offsets[11])) {
      assertEquals(all.get(11), r.next());
      assertEquals(all.get(12), r.next());
    }
    assertArrayEquals(new long[] {18}, scan.perShard);
  }
}
