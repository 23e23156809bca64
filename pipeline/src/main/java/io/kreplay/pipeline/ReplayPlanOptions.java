package io.kreplay.pipeline;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** {@code kreplay replay}. */
public interface ReplayPlanOptions extends ReplayOptions {
  @Description("Directory (any Beam filesystem) of a plan written by `kreplay plan`.")
  @Validation.Required
  String getPlan();

  void setPlan(String value);
}
