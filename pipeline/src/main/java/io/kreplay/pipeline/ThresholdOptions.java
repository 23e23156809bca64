package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Pass/fail thresholds, checked on every phase and on the whole run by {@code compare},
 * {@code report}, and by {@code run}/{@code replay} after they write the report: exit code 1
 * when one fails. Latency is from the intended send (corrected).
 */
public interface ThresholdOptions extends PipelineOptions {
  @Description("Report (its directory, or a report.json) to compare with: phases matched by name. "
      + "Needed by the relative thresholds.")
  String getBaseline();

  void setBaseline(String value);

  @Description("Fail when p50 latency is above this, e.g. 100ms.")
  String getMaxP50();

  void setMaxP50(String value);

  @Description("Fail when p99 latency is above this, e.g. 500ms or 1.5s.")
  String getMaxP99();

  void setMaxP99(String value);

  @Description("Fail when p50 latency rose by more than this over the baseline, e.g. 10%.")
  String getMaxP50Increase();

  void setMaxP50Increase(String value);

  @Description("Fail when p99 latency rose by more than this over the baseline, e.g. 10%.")
  String getMaxP99Increase();

  void setMaxP99Increase(String value);

  @Description("Fail when more than this share of requests failed or were never sent, e.g. 1%.")
  String getMaxErrorRate();

  void setMaxErrorRate(String value);

  @Description("Fail when throughput is below this share of the baseline's, e.g. 0.9 or 90%.")
  String getMinThroughputRatio();

  void setMinThroughputRatio(String value);
}
