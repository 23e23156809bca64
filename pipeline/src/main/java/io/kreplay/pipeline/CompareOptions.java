package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** {@code kreplay compare}: --baseline is required here. */
public interface CompareOptions extends ThresholdOptions {
  @Description("Report to judge (its directory, or a report.json).")
  @Validation.Required
  String getCurrent();

  void setCurrent(String value);

  @Description("URLs listed per phase in the per-URL table, slowest p99 first; 0 for none.")
  @Default.Integer(20)
  int getUrls();

  void setUrls(int value);
}
