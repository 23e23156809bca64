package io.kreplay.pipeline;

import java.io.PrintStream;
import org.apache.beam.sdk.io.FileSystems;

/** {@code kreplay replay}: replay a plan in real time and write the report. */
final class ReplayCommand implements Command<ReplayPlanOptions> {
  @Override
  public String name() {
    return "replay";
  }

  @Override
  public String summary() {
    return "Replay a plan against the API server in real time, every shard side by side from one shared "
        + "start, and write report.json (kperf's shape) to --report.";
  }

  @Override
  public Class<ReplayPlanOptions> optionsClass() {
    return ReplayPlanOptions.class;
  }

  @Override
  public int run(ReplayPlanOptions o, PrintStream out, PrintStream err) throws Exception {
    FileSystems.setDefaultPipelineOptions(o);
    return ReplayPipeline.run(o, ReplayPipeline.readManifest(o.getPlan()), o.getPlan(), out);
  }
}
