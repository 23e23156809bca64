package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** What a replay's report holds beyond kperf's keys: timeline, URL cap, raw outcomes. */
public interface ReportOptions extends PipelineOptions {
  @Description("Timeline window, seconds: report.json's timeline and latency.hlog's intervals.")
  @Default.Integer(10)
  int getTimelineSeconds();

  void setTimelineSeconds(int value);

  @Description("Distinct (method, URL) keys kept per phase; requests to further URLs count under "
      + "\"<METHOD> (other)\" (the report says how many). kperf does not mask GET URLs, so a trace "
      + "over many objects would otherwise keep histograms per object. 0: no cap.")
  @Default.Integer(1000)
  int getMaxUrlsPerPhase();

  void setMaxUrlsPerPhase(int value);

  @Description("Also write every request's outcome to raw/shard-<S>.csv.gz in the report directory "
      + "(kperf's --raw-data): intended time, lag, service time, latency, phase, method, URL, result, "
      + "error, bytes.")
  @Default.Boolean(false)
  boolean getRaw();

  void setRaw(boolean value);
}
