package io.kreplay.pipeline;

import io.kreplay.transforms.model.JsonFiles;
import io.kreplay.transforms.plan.PlanManifest;
import io.kreplay.transforms.read.ProfileReadException;
import java.io.PrintStream;
import java.util.Locale;

/** {@code kreplay validate}: read and check profiles, print what a plan would hold. */
class ValidateCommand implements Command<ValidateOptions> {
  @Override
  public String name() {
    return "validate";
  }

  @Override
  public String summary() {
    return "Read and validate replay profiles with kperf's rules; print requests, duration, verbs, "
        + "per-shard counts and imbalance. Sends nothing, writes nothing.";
  }

  @Override
  public Class<ValidateOptions> optionsClass() {
    return ValidateOptions.class;
  }

  @Override
  public int run(ValidateOptions options, PrintStream out, PrintStream err) throws Exception {
    return report(plan(options, null), options.getJson(), out, err, null);
  }

  static PlanManifest plan(ProfileOptions options, String planDir) throws Exception {
    try {
      return PlanPipeline.run(options, planDir);
    } catch (ProfileReadException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** Prints the summary (and problems); exit code 2 when there are problems. */
  static int report(PlanManifest m, boolean json, PrintStream out, PrintStream err, String planDir)
      throws Exception {
    if (json) {
      m.segments = null;
      out.println(JsonFiles.MAPPER.writeValueAsString(m));
    } else if (m.problems.isEmpty()) {
      printText(m, out, planDir);
    }
    if (!m.problems.isEmpty()) {
      err.println(m.problems.describe());
      return 2;
    }
    return 0;
  }

  private static void printText(PlanManifest m, PrintStream out, String planDir) {
    out.printf(Locale.ROOT, "requests: %d over %s in %d phase(s)%n", m.requests, seconds(m.durationMs), m.phases.size());
    for (PlanManifest.Phase p : m.phases) {
      out.printf(
          Locale.ROOT,
          "  phase %d %-20s %8d requests  %9s  starts at %s  (%s)%n",
          p.index,
          p.name,
          p.requests,
          seconds(p.durationMs),
          seconds(p.offsetMs),
          p.source);
    }
    StringBuilder verbs = new StringBuilder();
    m.verbs.forEach((k, v) -> verbs.append(' ').append(k).append('=').append(v));
    out.println("verbs:" + verbs);
    out.printf(Locale.ROOT, "shards: %d (%s partitioner)%n", m.shards, m.partitioner);
    out.println("per shard: " + java.util.Arrays.toString(m.perShard));
    out.printf(Locale.ROOT, "imbalance: %.3f ((max-min)/mean)%n", m.imbalance);
    if (planDir != null) {
      out.printf(Locale.ROOT, "plan: %d segments and manifest.json written to %s%n", m.segments.size(), planDir);
    }
  }

  static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.3fs", ms / 1000.0);
  }
}
