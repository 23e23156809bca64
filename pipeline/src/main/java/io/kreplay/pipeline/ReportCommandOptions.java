package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** {@code kreplay report}. */
public interface ReportCommandOptions extends ThresholdOptions {
  @Description("Report directory (any Beam filesystem) holding histograms.bin and report-context.json; "
      + "every report file in it is rewritten from them.")
  @Validation.Required
  String getFrom();

  void setFrom(String value);
}
