package io.kreplay.pipeline;

import io.kreplay.transforms.plan.PlanManifest;
import java.io.PrintStream;

/** {@code kreplay plan}: validate, partition and write per-shard, time-sorted segments. */
final class PlanCommand implements Command<PlanOptions> {
  @Override
  public String name() {
    return "plan";
  }

  @Override
  public String summary() {
    return "Validate replay profiles and write a replay plan: per-shard, per-window, time-sorted "
        + "segments and manifest.json in --plan (any Beam filesystem). No manifest is written for "
        + "invalid input.";
  }

  @Override
  public Class<PlanOptions> optionsClass() {
    return PlanOptions.class;
  }

  @Override
  public int run(PlanOptions options, PrintStream out, PrintStream err) throws Exception {
    PlanManifest m = ValidateCommand.plan(options, options.getPlan());
    return ValidateCommand.report(m, options.getJson(), out, err, options.getPlan());
  }
}
