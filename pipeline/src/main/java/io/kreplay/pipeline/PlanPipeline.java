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
import io.kreplay.transforms.read.LoadProfileStream;
import io.kreplay.transforms.read.PhaseMark;
import io.kreplay.transforms.read.ProfileReader;
import io.kreplay.transforms.read.ProfileStreams;
import io.kreplay.transforms.read.RequestStream;
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
    // 3. Number the phases: a source's requests carry its first phase index plus their own.
    sources = numberPhases(sources, config);
    String summary = summaryLocation(options, planDir);
    if (planDir != null) {
      WritePlanFiles.invalidate(planDir);
    }

    // 4. Scan every source in parallel and gather one manifest.
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
    ProfileStreams.Options streams = new ProfileStreams.Options();
    streams.seed = options.getSeed();
    try {
      streams.arrivals = LoadProfileStream.Arrivals.parse(options.getArrivals());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--arrivals " + e.getMessage());
    }
    if (options.getPhases() != null && !options.getPhases().trim().isEmpty()) {
      if (sources.size() > 1) {
        throw new UsageException("--phases splits one replay profile; " + sources.size()
            + " profiles were given (each already is a phase)");
      }
      try {
        streams.phases = PhaseMark.parseList(options.getPhases());
      } catch (IllegalArgumentException e) {
        throw new UsageException("--phases: " + e.getMessage());
      }
    }
    if (!(options.getPhaseGapSeconds() >= 0)) {
      throw new UsageException("--phaseGapSeconds must be >= 0");
    }
    int shards = options.getShards() != null ? options.getShards() : runnerCountOf(sources.get(0), limits);
    if (shards <= 0) {
      throw new UsageException("--shards must be > 0, got " + shards);
    }
    PlanConfig config = new PlanConfig(shards, partitioner, options.getPlanWindowSeconds() * 1000L, planDir, limits);
    config.streams = streams;
    config.phaseGapMs = Math.round(options.getPhaseGapSeconds() * 1000);
    return config;
  }

  /**
   * Gives each source its first phase index: the phases before it, counted from their headers
   * (a load profile's specs, a replay profile's phase marks). Only headers are read here; a
   * source whose header is broken counts as one phase and its scan reports why.
   */
  static List<ProfileSource> numberPhases(List<ProfileSource> sources, PlanConfig config) throws UsageException {
    List<ProfileSource> numbered = new java.util.ArrayList<>();
    int next = 0;
    for (ProfileSource s : sources) {
      ProfileSource at = new ProfileSource(next, s.location);
      numbered.add(at);
      ProfileProblems ignored = new ProfileProblems();
      try (RequestStream stream = ProfileStreams.open(at, config.limits, config.streams, ignored)) {
        if (config.streams.phases != null && stream instanceof LoadProfileStream) {
          throw new UsageException("--phases splits a replay profile; " + s.location
              + " is a load profile, whose specs are its phases");
        }
        next += stream.phaseCount();
      } catch (IOException e) {
        next += 1;
      }
    }
    return numbered;
  }

  /**
   * The first profile's spec.runnerCount, read from its header only. When the header is broken
   * the scan reports why; it runs with one shard so that every problem is still listed.
   */
  private static int runnerCountOf(ProfileSource first, ReadLimits limits) throws UsageException {
    ProfileProblems problems = new ProfileProblems();
    try (RequestStream stream = ProfileStreams.open(first, limits, new ProfileStreams.Options(), problems)) {
      if (stream instanceof LoadProfileStream) {
        return 1; // kperf runs a load profile on one runner
      }
      ProfileReader reader = (ProfileReader) stream;
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
