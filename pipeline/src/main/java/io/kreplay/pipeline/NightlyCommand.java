package io.kreplay.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kreplay.transforms.model.JsonFiles;
import io.kreplay.transforms.plan.PlanManifest;
import io.kreplay.transforms.plan.WritePlanFiles;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * {@code kreplay nightly}: one night of capacity planning.
 *
 * <ol>
 *   <li>Plan once: reuse the plan in --plan (default {@code <reports>/plan}) when it has a
 *       manifest, else plan it from --profile.
 *   <li>Replay it; the report goes to {@code <reports>/<night>/}.
 *   <li>Compare with the last good night ({@code <reports>/baseline.json}) by running
 *       {@code kreplay compare} with this command's threshold options. The first night is
 *       compared with itself, so only its absolute thresholds can fail it.
 *   <li>Record this night as the baseline only when it passed; exit 1 on regression.
 * </ol>
 *
 * Every location goes through Beam's FileSystems, so the root can be gs://, s3:// or hdfs://.
 */
final class NightlyCommand implements Command<NightlyOptions> {
  static final String BASELINE_JSON = "baseline.json";
  static final String NIGHT_JSON = "nightly.json";

  @Override
  public String name() {
    return "nightly";
  }

  @Override
  public String summary() {
    return "One night of capacity planning: plan once (or reuse the plan), replay, write the report to "
        + "<reports>/<night>/, compare with the last good night, record a new baseline only when it passed "
        + "(exit 1 on regression).";
  }

  @Override
  public Class<NightlyOptions> optionsClass() {
    return NightlyOptions.class;
  }

  @Override
  public int run(NightlyOptions o, PrintStream out, PrintStream err) throws Exception {
    FileSystems.setDefaultPipelineOptions(o);
    String night = o.getNight() != null ? o.getNight() : DateTimeFormatter.ISO_LOCAL_DATE.format(Instant.now().atOffset(ZoneOffset.UTC));
    if (night.isEmpty() || night.contains("/") || night.equals(".") || night.equals("..")) {
      throw new UsageException("--night must be a directory name, got '" + night + "'");
    }
    if (o.getBaseline() != null) {
      throw new UsageException("--baseline: nightly compares with the last good night in --reports itself");
    }
    // The replay must not judge itself: compare does, against the last good night, afterwards.
    List<String> thresholds = takeThresholds(o);
    if (thresholds.isEmpty()) {
      throw new UsageException("give at least one threshold, e.g. --max-p99-increase=10% --max-error-rate=1%");
    }
    String nightDir = dir(o.getReports(), night);
    if (exists(JsonFiles.in(nightDir, "report.json"))) {
      throw new UsageException(nightDir + " already has a report; pick another --night");
    }

    // 1. Plan once.
    String planDir = o.getPlan() != null ? o.getPlan() : dir(o.getReports(), "plan");
    PlanManifest manifest = o.getReplan() ? null : existingPlan(planDir);
    if (manifest != null) {
      out.println("reusing the plan in " + planDir + " (" + manifest.requests + " requests; --replan to plan again)");
    } else {
      if (o.getProfile() == null) {
        throw new UsageException("no plan in " + planDir + ": give --profile to plan one");
      }
      manifest = ValidateCommand.plan(o, planDir);
      int code = ValidateCommand.report(manifest, false, out, err, planDir);
      if (code != Kreplay.OK) {
        return code;
      }
    }

    // 2. Replay into this night's directory.
    o.setReport(nightDir);
    int replayed = ReplayPipeline.run(o, manifest, planDir, out);
    if (replayed != Kreplay.OK) {
      return replayed;
    }

    // 3. Compare with the last good night, 4. move the baseline only when this night passed.
    ResourceId baselineJson = JsonFiles.in(o.getReports(), BASELINE_JSON);
    JsonNode baseline = exists(baselineJson) ? JsonFiles.readTree(baselineJson) : null;
    String baselineReport;
    if (baseline == null) {
      // Compared with itself, the absolute thresholds still judge the first night.
      out.println("nightly: no baseline yet in " + o.getReports() + "; the first night is judged by the absolute thresholds");
      baselineReport = nightDir;
    } else {
      baselineReport = baseline.get("report").asText();
      out.println("nightly: comparing with the last good night " + baseline.get("night").asText() + " (" + baselineReport + ")");
    }
    List<String> args = new ArrayList<>(List.of("compare", "--baseline=" + baselineReport, "--current=" + nightDir));
    args.addAll(thresholds);
    int verdict = Kreplay.run(args.toArray(new String[0]), out, err);
    ObjectNode record = JsonFiles.MAPPER.createObjectNode();
    record.put("night", night);
    record.put("report", nightDir);
    record.put("plan", planDir);
    record.put("finishedAt", Instant.now().toString());
    record.put("baseline", baseline == null ? null : baseline.get("night").asText());
    record.put("thresholds", String.join(" ", thresholds));
    record.put("compareExitCode", verdict);
    record.put("passed", verdict == Kreplay.OK);
    JsonFiles.write(JsonFiles.in(nightDir, NIGHT_JSON), record);
    if (verdict == Kreplay.OK) {
      JsonFiles.write(baselineJson, record);
      out.println("nightly: passed; " + night + " is the new baseline");
    } else if (verdict == Kreplay.THRESHOLD_FAILED) {
      out.println("nightly: REGRESSION" + (baseline == null ? "" : " against " + baseline.get("night").asText()) + "; the baseline stays");
    }
    return verdict;
  }

  private static PlanManifest existingPlan(String planDir) throws Exception {
    try {
      return JsonFiles.read(WritePlanFiles.manifestOf(planDir), PlanManifest.class);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  static String dir(String root, String name) {
    return FileSystems.matchNewResource(root, true).resolve(name, StandardResolveOptions.RESOLVE_DIRECTORY).toString();
  }

  private static boolean exists(ResourceId file) throws Exception {
    org.apache.beam.sdk.io.fs.MatchResult m = FileSystems.match(file.toString());
    return m.status() == org.apache.beam.sdk.io.fs.MatchResult.Status.OK && !m.metadata().isEmpty();
  }

  /** The threshold options as compare's arguments, cleared on {@code o}. */
  private static List<String> takeThresholds(NightlyOptions o) {
    List<String> args = new ArrayList<>();
    add(args, "--max-p50", o.getMaxP50());
    add(args, "--max-p99", o.getMaxP99());
    add(args, "--max-p50-increase", o.getMaxP50Increase());
    add(args, "--max-p99-increase", o.getMaxP99Increase());
    add(args, "--max-error-rate", o.getMaxErrorRate());
    add(args, "--min-throughput-ratio", o.getMinThroughputRatio());
    o.setMaxP50(null);
    o.setMaxP99(null);
    o.setMaxP50Increase(null);
    o.setMaxP99Increase(null);
    o.setMaxErrorRate(null);
    o.setMinThroughputRatio(null);
    return args;
  }

  private static void add(List<String> args, String option, String value) {
    if (value != null) {
      args.add(option + "=" + value);
    }
  }
}
