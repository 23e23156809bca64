package io.kreplay.transforms.plan;

import io.kreplay.transforms.model.JsonCoder;
import io.kreplay.transforms.read.ProfileSource;
import java.io.IOException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;

/**
 * Reads, validates and partitions every profile source, writes its segments (unless the plan
 * directory is null: validation only), and gathers one {@link PlanManifest}.
 *
 * <p>Each source is one element, read start to end by one worker; sources are spread across
 * workers. Nothing downstream of a manifest with problems may send a request.
 */
public final class PlanProfiles extends PTransform<PCollection<ProfileSource>, PCollection<PlanManifest>> {
  /** Counter name: CPU milliseconds spent in the scans themselves. */
  public static final String SCAN_CPU_MILLIS = "scanCpuMillis";

  private final PlanConfig config;

  private PlanProfiles(PlanConfig config) {
    this.config = config;
  }

  public static PlanProfiles with(PlanConfig config) {
    return new PlanProfiles(config);
  }

  @Override
  public PCollection<PlanManifest> expand(PCollection<ProfileSource> sources) {
    PlanConfig cfg = config;
    return sources
        .apply("SpreadSources", Reshuffle.viaRandomKey())
        .apply("ScanProfiles", ParDo.of(new ScanFn(cfg)))
        .setCoder(JsonCoder.of(ScanResult.class))
        .apply("BuildManifest", Combine.globally(new BuildManifestFn(cfg)))
        .setCoder(JsonCoder.of(PlanManifest.class));
  }

  /** Scans one source; its counters show progress in any runner's UI. */
  static final class ScanFn extends DoFn<ProfileSource, ScanResult> {
    private final PlanConfig config;
    private final Counter requests = Metrics.counter(PlanProfiles.class, "requestsPlanned");
    private final Counter problems = Metrics.counter(PlanProfiles.class, "problems");
    /** CPU spent scanning, apart from the runner's own threads: the ingest cost per core. */
    private final Counter scanCpuMillis = Metrics.counter(PlanProfiles.class, SCAN_CPU_MILLIS);

    ScanFn(PlanConfig config) {
      this.config = config;
    }

    @ProcessElement
    public void process(@Element ProfileSource source, OutputReceiver<ScanResult> out) throws IOException {
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      long cpuBefore = threads.getCurrentThreadCpuTime();
      ScanResult result = ProfileScanner.scan(source, config);
      scanCpuMillis.inc((threads.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000);
      requests.inc(result.requests);
      problems.inc(result.problems.total);
      out.output(result);
    }
  }

  /**
   * Gathers the scans (one small record per source) and builds the manifest once all are in;
   * phases are ordered and offset only at the end, so the merge order does not matter.
   */
  static final class BuildManifestFn extends Combine.CombineFn<ScanResult, List<ScanResult>, PlanManifest> {
    private final PlanConfig config;

    BuildManifestFn(PlanConfig config) {
      this.config = config;
    }

    @Override
    public List<ScanResult> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<ScanResult> addInput(List<ScanResult> acc, ScanResult scan) {
      acc.add(scan);
      return acc;
    }

    @Override
    public List<ScanResult> mergeAccumulators(Iterable<List<ScanResult>> accs) {
      List<ScanResult> all = new ArrayList<>();
      accs.forEach(all::addAll);
      return all;
    }

    @Override
    public PlanManifest extractOutput(List<ScanResult> acc) {
      return PlanManifest.of(acc, config);
    }

    @Override
    public Coder<List<ScanResult>> getAccumulatorCoder(CoderRegistry registry, Coder<ScanResult> input) {
      return ListCoder.of(JsonCoder.of(ScanResult.class));
    }

    @Override
    public Coder<PlanManifest> getDefaultOutputCoder(CoderRegistry registry, Coder<ScanResult> input) {
      return JsonCoder.of(PlanManifest.class);
    }
  }
}
