package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * {@code kreplay nightly}: the run options, plus where nights and the baseline live. The
 * threshold options (--max-p99-increase=10%, --max-error-rate=1%, ...) judge each night against
 * the last good one; --baseline is the nightly's own business.
 */
public interface NightlyOptions extends RunOptions {
  @Description(
      "Root directory (any Beam filesystem: a path, gs://, s3://, hdfs://) of the nights: each night's "
          + "report goes to <reports>/<night>/, the last good night is recorded in <reports>/baseline.json, "
          + "and the plan defaults to <reports>/plan.")
  @Validation.Required
  String getReports();

  void setReports(String value);

  @Description("Name of this night's directory under --reports. Default: today's UTC date (yyyy-MM-dd).")
  String getNight();

  void setNight(String value);

  @Description("Plan again from --profile even when the plan directory already holds a plan.")
  @Default.Boolean(false)
  boolean getReplan();

  void setReplan(boolean value);

}
