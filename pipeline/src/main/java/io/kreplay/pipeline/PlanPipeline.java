package io.kreplay.pipeline;

import io.kreplay.transforms.model.JsonCoder;
import io.kreplay.transforms.model.JsonFiles;
import io.kreplay.transforms.model.ProfileSpec;
import io.kreplay.transforms.partition.Partitioner;
import io.kreplay.transforms.plan.PlanConfig;
import io.kreplay.transforms.plan.PlanManifest;
import io.kreplay.transforms.plan.PlanProfiles;
import io.kreplay.transforms.plan.WritePlanFiles;
import io.kreplay.transforms.read.ProfileProblems;
import io.kreplay.transforms.read.ProfileReader;
import io.kreplay.transforms.read.ProfileSource;
import io.kreplay.transforms.read.ReadLimits;
import io.kreplay.transforms.read.ResolveSources;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;

/**
 * The batch pipeline behind {@code validate} and {@code plan}:
 *
 * <pre>
 *   ProfileSources ─ PlanProfiles (read, validate, partition, write segments) ─ WritePlanFiles
 * </pre>
 *
 * <p>It returns the manifest, problems included, which the commands print.
 */
final class PlanPipeline {
  private PlanPipeline() {}

  static PlanManifest run(ProfileOptions options, String planDir) throws Exception {
    FileSystems.setDefaultPipelineOptions(options);
    // 1. Resolve --profile into sources, one phase each (globs expanded, schemes checked).
    List<ProfileSource> sources = ResolveSources.resolve(options.getProfile());
    // 2. Settle the shard count before any request is read: the scan partitions as it streams.
    PlanConfig config = config(options, sources, planDir);
    String summary = summaryLocation(options, planDir);
    if (planDir != null) {
      WritePlanFiles.invalidate(planDir);
    }

    // 3. Scan every source in parallel and gather one manifest.
    Pipeline p = Pipeline.create(options);
    p.apply("ProfileSources", Create.of(sources).withCoder(JsonCoder.of(ProfileSource.class)))
        .apply("PlanProfiles", PlanProfiles.with(config))
        .apply("WritePlanFiles", WritePlanFiles.to(planDir, summary));
    PipelineResult result = p.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the plan pipeline ended " + state);
    }
    if (Boolean.getBoolean("kreplay.stats")) {
      printScanCpu(result);
    }
    return JsonFiles.read(FileSystems.matchNewResource(summary, false), PlanManifest.class);
  }

  static PlanConfig config(ProfileOptions options, List<ProfileSource> sources, String planDir)
      throws UsageException {
    Partitioner partitioner;
    try {
      partitioner = Partitioner.parse(options.getPartitioner());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--partitioner: " + e.getMessage());
    }
    if (options.getPlanWindowSeconds() <= 0) {
      throw new UsageException("--planWindowSeconds must be > 0");
    }
    ReadLimits limits =
        new ReadLimits(
            options.getMaxDownloadBytes(),
            options.getMaxDecompressedBytes(),
            options.getUrlConnectTimeoutSeconds() * 1000,
            options.getUrlReadTimeoutSeconds() * 1000);
    int shards = options.getShards() != null ? options.getShards() : runnerCountOf(sources.get(0), limits);
    if (shards <= 0) {
      throw new UsageException("--shards must be > 0, got " + shards);
    }
    return new PlanConfig(shards, partitioner, options.getPlanWindowSeconds() * 1000L, planDir, limits);
  }

  /**
   * The first profile's spec.runnerCount, read from its header only. When the header is broken
   * the scan reports why; it runs with one shard so that every problem is still listed.
   */
  private static int runnerCountOf(ProfileSource first, ReadLimits limits) throws UsageException {
    ProfileProblems problems = new ProfileProblems();
    try (ProfileReader reader = ProfileReader.open(first, limits, problems)) {
      ProfileSpec spec = reader.header().spec;
      if (spec != null && spec.runnerCount > 0) {
        return spec.runnerCount;
      }
      if (spec == null && problems.isEmpty()) {
        throw new UsageException(
            first.displayName()
                + ": no spec before requests, so the shard count is unknown while streaming; "
                + "put spec above requests (as kperf's profiles do) or pass --shards=N");
      }
      return 1;
    } catch (IOException e) {
      return 1;
    }
  }

  private static String summaryLocation(ProfileOptions options, String planDir) throws IOException {
    if (planDir != null) {
      return JsonFiles.in(planDir, "validation.json").toString();
    }
    String temp = options.getTempLocation();
    if (temp != null && !temp.isEmpty()) {
      return JsonFiles.in(temp, "kreplay-validate-" + System.nanoTime() + ".json").toString();
    }
    java.nio.file.Path f = Files.createTempFile("kreplay-validate-", ".json");
    f.toFile().deleteOnExit();
    return f.toString();
  }


  /** For benchmarks: CPU spent in the scans, apart from the runner's own threads. */
  private static void printScanCpu(PipelineResult result) {
    long millis = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(PlanProfiles.class, PlanProfiles.SCAN_CPU_MILLIS))
                    .build())
            .getCounters()) {
      millis += c.getAttempted();
    }
    System.err.printf("kreplay-stats: scanCpuSeconds=%.3f%n", millis / 1000.0);
  }
}
