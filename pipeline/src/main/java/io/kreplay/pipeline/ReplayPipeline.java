package io.kreplay.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.kreplay.transforms.execute.ConnectionSettings;
import io.kreplay.transforms.measure.MeasureSettings;
import io.kreplay.transforms.measure.ReportContext;
import io.kreplay.transforms.model.JsonFiles;
import io.kreplay.transforms.plan.PlanManifest;
import io.kreplay.transforms.plan.WritePlanFiles;
import io.kreplay.transforms.replay.ReplayClock;
import io.kreplay.transforms.replay.PhaseSettings;
import io.kreplay.transforms.replay.ReplaySettings;
import io.kreplay.transforms.replay.ReplayAndMerge;
import io.kreplay.transforms.replay.ReplayStop;
import io.kreplay.transforms.replay.ShardPlan;
import io.kreplay.transforms.replay.ShardPlans;
import io.kreplay.transforms.report.WriteReport;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * The streaming pipeline behind {@code replay} and {@code run}:
 *
 * <pre>
 *   ShardPlans ─ ReplayShards (ReplayAndMerge: pace, send, measure; merge all shards) ─ WriteReport
 * </pre>
 */
final class ReplayPipeline {
  private ReplayPipeline() {}

  static PlanManifest readManifest(String planDir) throws Exception {
    try {
      return JsonFiles.read(WritePlanFiles.manifestOf(planDir), PlanManifest.class);
    } catch (FileNotFoundException e) {
      throw new UsageException(planDir + " is not a plan (no manifest.json; was it planned from valid input?)");
    }
  }

  static int run(ReplayOptions o, PlanManifest manifest, String planDir, PrintStream out) throws Exception {
    if (!(o.getSpeed() > 0)) {
      throw new UsageException("--speed must be > 0");
    }
    startEpochMicros(o); // checks --startAt before anything starts
    strictOrdering(o);
    if (o.getConns() != null && o.getConns() <= 0) {
      throw new UsageException("--conns must be > 0");
    }
    if (o.getMaxQps() < 0) {
      throw new UsageException("--maxQps must be >= 0 (0: no cap)");
    }
    if (o.getTimelineSeconds() <= 0 || o.getMaxUrlsPerPhase() < 0) {
      throw new UsageException("--timelineSeconds must be > 0 and --maxUrlsPerPhase >= 0 (0: no cap)");
    }
    if (!(o.getHeapStopFraction() >= 0 && o.getHeapStopFraction() <= 1)) {
      throw new UsageException("--heapStopFraction must be in [0, 1] (0: off), got " + o.getHeapStopFraction());
    }
    ThresholdCheck thresholds = ThresholdCheck.of(o);
    MeasureSettings measure =
        new MeasureSettings(o.getTimelineSeconds() * 1000L, o.getMaxUrlsPerPhase(), o.getRaw() ? o.getReport() : null);
    // Released once the summary is printed: a signal's hook waits for it (bounded).
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    try (Target target = Target.resolve(o, out)) {
      // 1. One shared start for every shard, after a warm-up for workers to come up.
      long start = startEpochMicros(o);
      long replayMicros = Math.round(manifest.durationMs * 1000 / o.getSpeed());
      long deadline = start + replayMicros + o.getGraceSeconds() * 1_000_000L;
      ReplayClock clock = new ReplayClock(start, o.getSpeed(), o.getLeadMillis() * 1000L);
      ReplaySettings settings =
          new ReplaySettings(
              o.getJobName(),
              target.settings.disableHttp2(disableHttp2(o, manifest)),
              isProtobuf(manifest),
              o.getMaxInFlight() != null ? o.getMaxInFlight() : clientsPerRunner(manifest),
              o.getRequestTimeoutSeconds() * 1000L,
              start,
              start + replayMicros,
              deadline,
              o.getFlushSeconds() * 1000L,
              o.getMaxQps() > 0 ? o.getMaxQps() / manifest.shards : 0)
          .withMeasure(measure)
          .withStrictOrdering(strictOrdering(o))
          .withWarmUpRequests(o.getWarmUpRequests())
          .withPhases(PhaseSettings.ofLoadPhases(manifest, o.getMaxInFlight(), o.getDisableHttp2(), o.getConns()))
          .withConns(o.getConns() != null ? o.getConns() : connsPerRunner(manifest))
          .withHeapStopFraction(o.getHeapStopFraction());
      ReportContext context =
          ReportContext.fromManifest(manifest, o.getSpeed()).startedAt(start).target(target.description).measured(measure);
      out.printf(
          Locale.ROOT,
          "replaying %d requests on %d shards over %.1fs (speed %s) against %s; shared start %s (epoch ms %d)%n",
          manifest.requests, manifest.shards, replayMicros / 1e6, o.getSpeed(), target.description,
          java.time.Instant.ofEpochMilli(start / 1000), start / 1000);

      // 2. Replay and measure every shard; 3. merge once all are done; 4. write the report.
      Pipeline p = Pipeline.create(o);
      p.apply("ShardPlans", ShardPlans.heldUntil(ShardPlan.fromManifest(manifest, planDir), start + replayMicros))
          .apply("ReplayShards", ReplayAndMerge.with(clock, settings))
          .apply("WriteReport", WriteReport.to(o.getReport(), context));
      // SIGTERM / Ctrl-C: stop sending, count the rest as skipped, and still write the report.
      Thread onSignal =
          new Thread(
              () -> {
                System.err.println("kreplay: stopping: nothing more is sent; writing the report (up to 30 s)");
                ReplayStop.request(settings.runId);
                try {
                  finished.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "kreplay-stop");
      Runtime.getRuntime().addShutdownHook(onSignal);
      try {
        PipelineResult.State state = p.run().waitUntilFinish();
        if (state != PipelineResult.State.DONE) {
          throw new IllegalStateException("the replay pipeline ended " + state);
        }
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for the summary below
        }
        ReplayStop.clear(settings.runId);
      }
    }
    JsonNode report;
    try {
      report = printSummary(o.getReport(), out);
    } finally {
      finished.countDown();
    }
    int verdict = thresholds.evaluate(report, out);
    // The report is complete as far as it goes, but the run was not the one asked for.
    if (stoppedBy(report).contains(ReplayStop.HEAP)) {
      out.println("kreplay: the replay was stopped early because the heap was nearly full "
          + "(run.stoppedBy: heap); give it more heap (KREPLAY_JAVA_OPTS=-Xmx...) or lower --maxUrlsPerPhase. "
          + "report.html and the charts were not drawn: kreplay report --from=" + o.getReport());
      return 3;
    }
    if (stoppedBy(report).contains(ReplayStop.DEADLINE)) {
      out.println("kreplay: shards started after the replay's deadline, so their requests were skipped "
          + "(run.stoppedBy: deadline); give the runner more time to start: --warmupSeconds or --startAt");
      return 3;
    }
    return verdict;
  }

  /** report.json's run.stoppedBy: why the run was cut short; empty if it was not. */
  static String stoppedBy(JsonNode report) {
    JsonNode run = report.get("run");
    return run != null && run.has("stoppedBy") ? run.get("stoppedBy").asText() : "";
  }

  /** --startAt (checked: parseable and in the future), else now + --warmupSeconds. */
  static long startEpochMicros(ReplayOptions o) throws UsageException {
    long now = ReplayClock.nowEpochMicros();
    String at = o.getStartAt();
    if (at == null || at.isEmpty()) {
      return now + o.getWarmupSeconds() * 1_000_000L;
    }
    long startMicros;
    try {
      startMicros =
          at.chars().allMatch(Character::isDigit)
              ? Math.multiplyExact(Long.parseLong(at), 1000L)
              : java.time.Instant.parse(at).toEpochMilli() * 1000L;
    } catch (RuntimeException e) {
      throw new UsageException(
          "--startAt=" + at + " is not an instant: write ISO-8601 (2026-11-24T10:30:00Z) or epoch milliseconds");
    }
    if (startMicros <= now) {
      throw new UsageException(
          "--startAt=" + at + " is " + (now - startMicros) / 1000 + " ms in the past; every request would start late");
    }
    return startMicros;
  }

  static boolean strictOrdering(ReplayOptions o) throws UsageException {
    switch (o.getOrdering()) {
      case "timestamp":
        return false;
      case "strict":
        return true;
      default:
        throw new UsageException("--ordering must be 'timestamp' or 'strict', got '" + o.getOrdering() + "'");
    }
  }

  private static boolean isProtobuf(PlanManifest m) {
    return !m.phases.isEmpty() && m.phases.get(0).spec != null && "protobuf".equals(m.phases.get(0).spec.contentType);
  }

  /** --disableHttp2 if given, else the (first) replay profile's spec.disableHTTP2. */
  private static boolean disableHttp2(ReplayOptions o, PlanManifest m) {
    if (o.getDisableHttp2() != null) {
      return o.getDisableHttp2();
    }
    return !m.phases.isEmpty() && m.phases.get(0).spec != null && m.phases.get(0).spec.disableHTTP2;
  }

  private static int clientsPerRunner(PlanManifest m) {
    return m.phases.isEmpty() || m.phases.get(0).spec == null ? 1 : Math.max(1, m.phases.get(0).spec.effectiveClientsPerRunner());
  }

  /** The (first) replay profile's connsPerRunner; 0 (not bounded) when the plan has none. */
  private static int connsPerRunner(PlanManifest m) {
    return m.phases.isEmpty() || m.phases.get(0).spec == null ? 0 : Math.max(0, m.phases.get(0).spec.connsPerRunner);
  }

  private static JsonNode printSummary(String reportDir, PrintStream out) throws Exception {
    ResourceId reportJson = JsonFiles.in(reportDir, WriteReport.REPORT_JSON);
    JsonNode report = JsonFiles.readTree(reportJson);
    JsonNode a = report.get("aggregated");
    out.printf(
        Locale.ROOT,
        "requests: %d total = %d ok + %d failed + %d skipped; %.1f req/s%n",
        a.get("total").asLong(),
        a.get("totalRun").asLong() - a.get("totalFailed").asLong(),
        a.get("totalFailed").asLong(),
        a.get("skipped").asLong(),
        a.get("throughput").asDouble());
    if (!stoppedBy(report).isEmpty()) {
      out.println("stopped early by: " + stoppedBy(report) + " (requests not sent are counted as skipped)");
    }
    if (a.has("errorStats")) {
      out.println("errors: " + a.get("errorStats"));
    }
    if (a.has("percentileLatencies")) {
      out.printf(
          Locale.ROOT,
          "service p50 %s p99 %s | latency from intended send p99 %s p99.9 %s | send lag p99 %s%n",
          ms(a.get("servicePercentiles"), 1),
          ms(a.get("servicePercentiles"), 4),
          ms(a.get("correctedLatencies"), 4),
          ms(a.get("correctedLatencies"), 5),
          ms(a.get("lagPercentiles"), 4));
    }
    out.println("report: " + reportJson);
    return report;
  }

  private static String ms(JsonNode percentiles, int i) {
    return String.format(Locale.ROOT, "%.1fms", percentiles.get(i).get(1).asDouble() * 1000);
  }

  /** Where requests go, and what to close after the run. */
  static final class Target implements AutoCloseable {
    final ConnectionSettings settings;
    final String description;
    private final EmbeddedApiServer embedded;

    private Target(ConnectionSettings settings, String description, EmbeddedApiServer embedded) {
      this.settings = settings;
      this.description = description;
      this.embedded = embedded;
    }

    static Target resolve(ReplayOptions o, PrintStream out) {
      if (o.getMaster() != null) {
        return new Target(
            ConnectionSettings.masterUrl(o.getMaster()).insecureSkipTlsVerify(o.getInsecureSkipTlsVerify()),
            o.getMaster(), null);
      }
      if (o.getKubeconfig() != null) {
        String ctx = o.getContext() == null ? "its current context" : "context " + o.getContext();
        return new Target(
            ConnectionSettings.kubeconfig(o.getKubeconfig(), o.getContext()).insecureSkipTlsVerify(o.getInsecureSkipTlsVerify()),
            o.getKubeconfig() + " (" + ctx + ")", null);
      }
      if (o.getInCluster()) {
        return new Target(ConnectionSettings.inCluster(), "the in-cluster service account", null);
      }
      EmbeddedApiServer server = EmbeddedApiServer.start();
      out.println(
          "no target given (--kubeconfig, --master or --inCluster): starting an embedded Kubernetes API "
              + "(fabric8 mock server, CRUD mode) at " + server.url());
      return new Target(ConnectionSettings.masterUrl(server.url()), "the embedded API at " + server.url(), server);
    }

    @Override
    public void close() {
      if (embedded != null) {
        embedded.close();
      }
    }
  }
}
