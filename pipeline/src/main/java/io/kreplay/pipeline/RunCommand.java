package io.kreplay.pipeline;

import io.kreplay.transforms.plan.PlanManifest;
import java.io.PrintStream;
import java.nio.file.Files;

/** {@code kreplay run}: plan, replay and report in one go. */
final class RunCommand implements Command<RunOptions> {
  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "Plan (to --plan or a temporary directory), replay and report in one go. Without a target, "
        + "replays against an embedded Kubernetes API on loopback.";
  }

  @Override
  public Class<RunOptions> optionsClass() {
    return RunOptions.class;
  }

  @Override
  public int run(RunOptions o, PrintStream out, PrintStream err) throws Exception {
    String planDir = o.getPlan() != null ? o.getPlan() : Files.createTempDirectory("kreplay-plan-").toString();
    PlanManifest m = ValidateCommand.plan(o, planDir);
    int code = ValidateCommand.report(m, false, out, err, planDir);
    if (code != Kreplay.OK) {
      return code; // invalid input: nothing is sent
    }
    return ReplayPipeline.run(o, m, planDir, out);
  }
}
